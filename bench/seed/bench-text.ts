/**
 * Word lists for the benchmark seeder (bench/seed/bench.ts). Plain data only.
 *
 * Lists of common words are ordered roughly from most to least frequent: the
 * generator draws from them with Zipf-like weights by position, so early words
 * are common and late ones rare. Everything here is invented.
 *
 * Only letters, digits, spaces and simple punctuation appear (no apostrophes,
 * dashes or ampersands), so that Markdown's typographer changes nothing but the
 * double quotes the generator adds itself.
 */

const words = (s: string): string[] => s.trim().split(/\s+/);

export const FIRST_NAMES = words(`
  Maya Tomas Priya Declan Ruth Aisha Callum Ingrid Mateo Sofia Kwame Elena Rory Hana Oskar Leila Finn Nadia
  Samuel Grace Idris Chloe Marcus Yusuf Freya Anton Bridget Kofi Lucia Ewan Mei Dmitri Orla Rafael Zara Hugo
  Niamh Jonah Amara Felix Sinead Arjun Beatrix Caleb Dalia Emeka Fiona Gareth Hollis Imogen Jasper Keira Luca
  Morag Nikhil Odette Pavel Quinn Rosalind Soren Tamsin Umar Vera Wilf Ximena Yannick Zofia Agnes Bastian
  Cerys Dorian Esme Fergus Gwen Henrik Isla Jude Kasia Lorcan Mirela Noor Otto Petra Ravi Saoirse Teodor
`);

export const LAST_NAMES = words(`
  Okafor Lindqvist Raman Shore Abernethy Mensah Calloway Brennan Achterberg Quist Halloran Veldt Marchetti
  Osei Drummond Farrow Kowalski Nakamura Petrova Ferreira Lachlan Haverford Oyelaran Strand Whitcombe Ibarra
  Kerrigan Moreau Adeyemi Blackwood Castellan Dunmore Eriksen Fairbairn Galloway Hartigan Iversen Jardine
  Kilbride Lomax Macready Northcote Ogilvie Penhallow Quartermain Rasmussen Sutherland Tregarthen Underhill
  Varga Wexford Yardley Zielinski Arrowsmith Baptiste Coulter Delacroix Elphick Fenwick Gorski Hawthorne
  Inglis Jurado Kavanagh Lestrange Mbeki Nightingale Orchard Pemberton Rookwood Sandoval Thorne Urquhart
  Valdez Winslow
`);

/** Fictional places of the benchmark region. */
export const PLACES = words(`
  Kelby Marrowick Ashcombe Tidewell Brannock Saltmere Corrow Eldham Fallowby Greystrand Hollin Invergale
  Jessop Kinloss Larkspur Millbeck Northolt Oxenhope Pelham Quarrydown Redhaven Stourley Thornby Upwick
  Varrow Westmere Yarnfield Aldercove Beckley Carnmoor Dunholm Eastreach Fernlea Gullhaven Harrowgate
  Ironbridge Juniper Kestle Lowmoor Merrow
`);

/** Base subjects: topic names, descriptions, and the keywords an article on them repeats. */
export interface Subject {
  name: string;
  description: string;
  keywords: string[];
}

const subject = (name: string, description: string, keywords: string): Subject => ({
  name,
  description,
  keywords: words(keywords),
});

/** Roughly from broad and popular to narrow. */
export const SUBJECTS: Subject[] = [
  subject(
    "Politics",
    "Councils, parties, votes and the people who run the region.",
    "council councillors vote election",
  ),
  subject("Budget", "Where public money comes from and where it goes.", "budget spending tax reserves savings"),
  subject("Housing", "Rents, new homes, tenants and landlords.", "housing rent tenants homes landlords"),
  subject("Transport", "Buses, trains, roads, ferries and what they cost.", "transport buses ferry timetable fares"),
  subject("Weather", "Storms, floods, heat and the forecast.", "weather storm flood rainfall forecast"),
  subject("Health", "Hospitals, clinics, waiting lists and public health.", "hospital patients clinic nurses health"),
  subject("Education", "Schools, colleges, teachers and exam results.", "school pupils teachers college exams"),
  subject("Business", "Jobs, firms, markets and the local economy.", "business jobs firms market economy"),
  subject("Crime", "Courts, police and community safety.", "police court crime officers trial"),
  subject("Culture", "Festivals, museums, music and the arts.", "festival museum music theatre arts"),
  subject("Sport", "Clubs, matches and grassroots sport.", "match club league season players"),
  subject("Elections", "Campaigns, candidates, polls and results.", "election candidates ballot polls campaign"),
  subject("Environment", "Wildlife, pollution, parks and the coast.", "wildlife pollution coast parks environment"),
  subject(
    "Planning",
    "Applications, developments and the shape of the towns.",
    "planning development application site",
  ),
  subject("Ferries", "Crossings, timetables and the island routes.", "ferry crossing harbour island vessel"),
  subject("Floods", "Flood defences, warnings and recovery.", "flood defences river warning sandbags"),
  subject("Energy", "Power, heating bills and the wind farms offshore.", "energy power turbines heating bills"),
  subject("Science", "Research from the region and beyond.", "research scientists study data laboratory"),
  subject("Courts", "Trials, verdicts and sentencing.", "court judge jury verdict sentence"),
  subject("Fishing", "The fleet, the catch and the fish market.", "fishing fleet catch quota harbour"),
  subject("Tourism", "Visitors, hotels and the summer season.", "tourism visitors hotels season beaches"),
  subject("Farming", "Farms, harvests and rural life.", "farming farmers harvest livestock land"),
  subject("Food and Drink", "Restaurants, markets and producers.", "restaurant food market producers kitchen"),
  subject("Technology", "Start-ups, broadband and digital services.", "broadband technology software digital startup"),
  subject("Heritage", "Old buildings, archives and local history.", "heritage history archive listed restoration"),
  subject("Libraries", "Branch libraries, opening hours and reading.", "library libraries books reading opening"),
  subject("Roads", "Potholes, resurfacing and road works.", "roads potholes resurfacing junction traffic"),
  subject("Cycling", "Cycle lanes, bike hire and safety.", "cycling cyclists lanes bike safety"),
  subject("Rail", "Stations, services and the line north.", "rail trains station line services"),
  subject("Water", "Reservoirs, leaks, bills and sewage.", "water reservoir leaks sewage supply"),
  subject("Waste", "Bins, recycling and the landfill site.", "waste recycling bins landfill collections"),
  subject("Social Care", "Care homes, carers and support at home.", "care carers homes support elderly"),
  subject("Childcare", "Nurseries, places and costs for families.", "childcare nursery families places parents"),
  subject("Jobs", "Hiring, redundancies and wages.", "jobs wages workers redundancies hiring"),
  subject("Markets", "Prices, traders and market days.", "market traders prices stalls shoppers"),
  subject("Music", "Gigs, venues and local bands.", "music gig venue band concert"),
  subject("Film", "Cinemas, productions and screenings.", "film cinema screening director premiere"),
  subject("Theatre", "Stage productions and companies.", "theatre stage production cast audience"),
  subject("Festivals", "Summer festivals and winter fairs.", "festival fair stalls crowds programme"),
  subject("Football", "The league, the cup and the terraces.", "football goal striker manager league"),
  subject("Rowing", "Regattas and clubs on the water.", "rowing regatta crew boathouse race"),
  subject("Sailing", "Yachts, races and the harbour.", "sailing yacht regatta harbour race"),
  subject(
    "Schools",
    "Admissions, inspections and school buildings.",
    "school inspection admissions headteacher pupils",
  ),
  subject("Universities", "Students, research and campuses.", "university students campus research degree"),
  subject("Hospitals", "Wards, waiting times and staffing.", "hospital ward waiting staffing beds"),
  subject("Police", "Patrols, stations and policing plans.", "police patrols station officers policing"),
  subject("Fire Service", "Fire stations, crews and call-outs.", "fire crews station blaze rescue"),
  subject("Coast", "Erosion, cliffs and the shoreline.", "coast erosion cliffs shoreline beach"),
  subject("Wildlife", "Birds, seals and nature reserves.", "wildlife birds seals reserve species"),
  subject("Parks", "Green spaces, playgrounds and allotments.", "parks playground allotments green trees"),
  subject("Animals", "Pets, shelters and vets.", "animals shelter pets vets rescue"),
  subject("Religion", "Churches, mosques, temples and faith groups.", "church faith congregation mosque temple"),
  subject("Charity", "Fundraising, volunteers and food banks.", "charity volunteers fundraising donations foodbank"),
  subject("Obituaries", "Lives remembered.", "funeral tribute remembered life family"),
  subject("Opinion", "Columns and comment from the region.", "opinion column argument readers view"),
  subject("Letters", "Letters from readers.", "letter readers editor view concern"),
  subject("Weather Warnings", "Alerts for wind, snow, ice and rain.", "warning wind snow ice gale"),
  subject("Property", "House prices, sales and auctions.", "property prices sales auction buyers"),
  subject("Retail", "Shops, closures and the high street.", "shops retail closures street shoppers"),
  subject("Airport", "Flights, routes and the runway.", "airport flights routes runway passengers"),
];

/**
 * Nouns, most common first. The news words of NEWS_WORDS are not among them:
 * they come in at rates of their own.
 */
export const NOUNS = words(`
  council people year plan residents government week time city money report service area community work town
  members month project change group support decision public part number scheme proposals meeting review level
  cost families funding future cases centre homes authority board business workers staff rise schools issue
  evidence figures concerns question children system road water parents police land plans students minister
  agreement fund programme market deal offer jobs application price prices costs changes bill statement
  spokesperson hospital survey result results vote councillors officials committee leader chair director
  campaign investment development safety island harbour visitors weather rain storm coast river bridge station
  terminal bus museum library park village street quarter district region county shoreline estate warehouse
  factory office consultation petition inquiry contract tender operator company firm union landlord tenants
  rent mortgage buyers sellers developers architects engineers contractors scientists doctors nurses teachers
  pupils fans players club season match league cup race crowd stage audience artists music film exhibition
  gallery archive heritage building church hall square pier quay beach cliff dunes marsh reservoir turbines
  power energy bills heating waste recycling broadband software data research study laboratory patients clinic
  ward surgery ambulance court judge jury trial verdict sentence appeal officers patrol arrest charity
  volunteers donations foodbank shop shops traders stalls restaurant kitchen producers farm farmers harvest
  livestock fishing fleet catch quota boats vessel crew yacht regatta rowing boathouse airport flights runway
  passengers timetable fares tickets routes junction traffic potholes lanes cyclists pavement parking
  allotments playground trees wildlife birds seals reserve species pollution sewage leaks supply drought
  heatwave gale snow ice warning sandbags defences erosion tide tides surveyors inspectors headteacher nursery
  carers elderly wages redundancies ballot candidates polls turnout manifesto mayor referendum coalition
  opposition majority
`);

/**
 * Common news words and the chance that any one noun in an article is that word,
 * whatever the article is about. Over the ~200 nouns of an average body that puts
 * them in very different shares of all articles (budget in about a third, ferry
 * in a few per cent); articles on a matching topic mention them far more often
 * (Subject.keywords), so they also rank very differently.
 */
export const NEWS_WORDS: [word: string, chance: number][] = [
  ["budget", 0.002],
  ["election", 0.0012],
  ["housing", 0.0008],
  ["flood", 0.0004],
  ["festival", 0.00025],
  ["ferry", 0.00015],
];

export const VERBS = words(`
  said announced approved confirmed warned agreed rejected published revealed described called
  received launched proposed reported delayed opened closed raised cut increased reduced delivered
  backed criticised welcomed questioned defended completed postponed reviewed planned promised
  expected submitted secured blocked challenged supported replaced extended suspended cancelled
  restored repaired expanded introduced unveiled considered discussed admitted estimated measured
  recorded collected inspected recommended predicted insisted argued accepted doubled halved
  funded froze moved built demolished redesigned
`);

export const ADJECTIVES = words(`
  new local public final major regional recent former current long early full latest main
  annual national small large second further independent formal popular controversial
  affordable temporary permanent costly significant serious modest ambitious urgent delayed
  revised coastal rural northern southern eastern western historic busy quiet empty crowded
  safer cheaper faster slower older younger wider narrower fresh detailed private joint special
  seasonal weekly monthly unexpected disappointing encouraging welcome sharp steady
  record emergency initial limited extra
`);

export const ADVERBS = words(`
  also now still already recently finally quickly largely widely sharply slowly openly formally
  briefly firmly quietly repeatedly
`);

export const PREPOSITIONS = words(`in for at on across near around beyond under over outside along`);

export const DETERMINERS = words(`the the the a a this that its their every another`);

export const TIMES = [
  "on Monday",
  "on Tuesday",
  "on Wednesday",
  "on Thursday",
  "on Friday",
  "at the weekend",
  "last week",
  "last month",
  "this year",
  "next spring",
  "by the autumn",
  "earlier this week",
  "later this month",
  "before the summer",
  "over the winter",
  "since January",
  "by March",
  "in the new year",
];

export const CONNECTORS = ["but", "and", "while", "although", "because", "after", "as", "so", "before", "since"];

export const ROLES = [
  "Councillor",
  "Dr",
  "Professor",
  "Inspector",
  "Chief Executive",
  "Mayor",
  "Head of Planning",
  "Finance Chair",
  "Union Representative",
  "Spokesperson",
];

export const ORGANISATIONS = [
  "the council",
  "the harbour board",
  "the health board",
  "the port operator",
  "the tenants association",
  "the water company",
  "the chamber of commerce",
  "the police",
  "the fire service",
  "the university",
  "the residents association",
  "the regional assembly",
  "the trust",
  "the opposition",
  "the planning committee",
];

export const TITLE_PATTERNS = [
  "{Place} {keyword} plan {verb} after {adj} {noun} row",
  "{Org} {verb} {adj} {keyword} {noun} for {Place}",
  "{Keyword} {noun} {verb} as {Place} {noun} {verb2}",
  "What the {adj} {keyword} {noun} means for {Place}",
  "{Place} residents fear {adj} {keyword} {noun}",
  "{Keyword} {noun} in {Place} {verb} by {Org}",
  "{Number} {noun} {verb} in {Place} {keyword} {noun}",
  "Why {Place} {keyword} {noun} was {verb}",
  "{Adj} {keyword} {noun} {verb} {time}",
  "{Place} {noun} {verb} over {keyword} {noun}",
];

export const COMMENT_OPENERS = [
  "Interesting piece.",
  "I live in {Place} and",
  "Not surprised at all.",
  "This is exactly what",
  "Good to see the Courier covering this.",
  "Has anyone asked",
  "Typical.",
  "As a parent,",
  "Speaking as a local business owner,",
  "I remember when",
  "Thanks for this.",
  "Honestly,",
  "Can someone explain why",
  "Well said.",
  "Sadly",
];

export const REPLY_OPENERS = [
  "I agree with you.",
  "Not quite.",
  "That is not what the article says.",
  "Exactly this.",
  "Have you actually been to {Place}?",
  "Fair point, but",
  "Source?",
  "You are missing the bigger picture.",
  "Same experience here.",
  "With respect,",
];

export const SPAM_PHRASES = [
  "Earn money from home, click here for the best offer",
  "Cheap watches and bags, free shipping today only",
  "Best crypto returns guaranteed, message me now",
  "Visit my site for amazing deals and discount codes",
  "Work from home and earn 500 a day, no experience needed",
];

export const LIST_LEADS = ["Among the proposals:", "The main points:", "What changes:", "Key figures:", "In brief:"];
