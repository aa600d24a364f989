/**
 * Demo content for local development: "The Harbour Courier", a fictional regional newsroom
 * covering the fictional coastal city of Port Averne. Every person, place, organisation and
 * event here is invented. Plain data only; the loader lives elsewhere.
 */
import type { DemoArticle, DemoAuthor, DemoTopic } from "./demo-content.types";

export const demoAuthors: DemoAuthor[] = [
  {
    slug: "maya-okafor",
    name: "Maya Okafor",
    bio:
      "Maya is the Courier's city hall correspondent and has covered three Port Averne elections. " +
      "She grew up above a chandlery on the Quay and still thinks council minutes are underrated reading.",
    avatarUrl: null,
  },
  {
    slug: "tomas-lindqvist",
    name: "Tomás Lindqvist",
    bio:
      "Tomás reports on climate, the coast and science. Before journalism he spent six years " +
      "measuring tides for the Averne Institute of Marine Science.",
    avatarUrl: null,
  },
  {
    slug: "priya-raman",
    name: "Priya Raman",
    bio:
      "Priya covers housing, business and the local economy, with a particular interest in who " +
      "owns what along the waterfront.",
    avatarUrl: null,
  },
  {
    slug: "declan-shore",
    name: "Declan Shore",
    bio:
      "Declan writes about transport, sport and culture. He commutes by ferry and has opinions " +
      "about every timetable change since 2009.",
    avatarUrl: null,
  },
];

export const demoTopics: DemoTopic[] = [
  {
    slug: "city-hall",
    name: "City Hall",
    description: "Decisions, debates and elections at Port Averne City Council.",
  },
  {
    slug: "climate",
    name: "Climate",
    description: "Rising seas, storms, heat and how the coast is adapting.",
  },
  {
    slug: "transport",
    name: "Transport",
    description: "Ferries, buses, roads and cycle lanes, and what they cost to use.",
  },
  {
    slug: "housing",
    name: "Housing",
    description: "Rents, new homes, tenants and landlords across the city.",
  },
  {
    slug: "science",
    name: "Science",
    description: "Research from the Averne Institute of Marine Science and beyond.",
  },
  {
    slug: "culture",
    name: "Culture",
    description: "Festivals, film, museums and the arts in Port Averne.",
  },
  {
    slug: "sport",
    name: "Sport",
    description: "Averne Rovers, rowing on the Sound and grassroots sport.",
  },
  {
    slug: "business",
    name: "Business",
    description: "Jobs, firms, the fish market and the waterfront economy.",
  },
];

export const demoArticles: DemoArticle[] = [
  {
    slug: "ferry-fares-frozen-in-draft-budget",
    title: "Ferry fares frozen for a year as council unveils draft budget",
    standfirst:
      "Fennick Island commuters get a reprieve, but the draft budget leans on reserves and higher parking charges " +
      "to balance the books.",
    body: `Port Averne City Council will freeze ferry fares on the Inner Sound crossing until next spring, according to
a draft budget published on Tuesday evening. A single adult fare to Fennick Island will stay at £3.40, and the
monthly commuter pass at £62.

The freeze had been expected after months of pressure from island residents, many of whom rely on the ferry for
work, school and hospital appointments. It will cost the council an estimated £1.1 million in lost subsidy
payments to the operator, Sound Link Ferries.

## Where the money comes from

Finance chair Councillor Ruth Abernethy said the gap would be closed without cutting frontline services, but the
document tells a more complicated story. Among the proposals:

- a 15% rise in on-street parking charges in the city centre
- drawing £2.4 million from the council's general reserves
- a one-year pause on resurfacing work outside the ring road
- a review of opening hours at four branch libraries

"Nobody wants to touch reserves," Abernethy told councillors. "But asking islanders to pay more to get to work,
in the middle of everything else, was not something this administration was prepared to do."

Opposition councillors were quick to call the plan *an election budget*, pointing out that the mayoral vote is
less than five months away. The full document is available on the
[council consultation portal](https://example.org/port-averne/budget-consultation), and residents have until the
end of next month to respond.`,
    authors: ["maya-okafor", "declan-shore"],
    topics: ["city-hall", "transport"],
    hoursAgo: 3,
    comments: [
      {
        key: "c1",
        authorName: "Gwen Ashcombe",
        email: "gwen.ashcombe@example.com",
        body: "Good news for those of us on Fennick. The 07:10 ferry is the only way my kids get to school.",
        minutesAfter: 14,
      },
      {
        key: "c2",
        authorName: "Martin Ferris",
        email: "martin.ferris@example.com",
        body: "So drivers in the city centre pay for island commuters? I'm not sure that's fair either.",
        minutesAfter: 37,
      },
      {
        key: "c3",
        replyTo: "c2",
        authorName: "Gwen Ashcombe",
        email: "gwen.ashcombe@example.com",
        body:
          "There's no road to the island, Martin. The ferry is our road. " +
          "Happy to pay my share of parking when I'm in town.",
        minutesAfter: 52,
      },
      {
        key: "c4",
        authorName: "Lewis Obi",
        email: "lewis.obi@example.org",
        body: "Raiding reserves five months before an election is exactly what the opposition says it is.",
        minutesAfter: 95,
      },
    ],
  },
  {
    slug: "harbour-flood-barrier-delayed-again",
    title: "Harbour flood barrier delayed again as costs climb to £48m",
    standfirst:
      "The tidal gate meant to protect Lowtown from storm surges will not be working until at least 2028, " +
      "engineers have told the council.",
    body: `The flood barrier at the mouth of Port Averne harbour has been delayed for a second time, with engineers
warning that the project will not be operational before the winter of 2028.

A report to the council's infrastructure committee blames ground conditions beneath the harbour wall, which
turned out to be softer than surveys suggested. The estimated cost has risen from £31 million to £48 million.

The barrier is designed to close during storm surges and protect roughly 2,300 homes and businesses in Lowtown,
the low-lying district behind the fish market. Lowtown flooded twice in the past decade, most recently when a
February storm pushed seawater as far as Tanner Street.

> "Every winter without the barrier is a winter we are relying on luck," said Sandra Mbeki, who chairs the
> Lowtown Residents' Association.

Council officers say temporary flood defences, including demountable barriers along the quayside, will remain in
place until the permanent structure is finished. The committee will decide next month whether to approve the
additional funding or scale back the design.`,
    authors: ["tomas-lindqvist"],
    topics: ["climate", "city-hall"],
    hoursAgo: 9,
    comments: [
      {
        key: "c1",
        authorName: "Sandra Kettle",
        email: "sandra.kettle@example.com",
        body:
          "We had water in the kitchen in February. The sandbags are still in the hall. " +
          "Please just build the thing.",
        minutesAfter: 22,
      },
      {
        key: "c2",
        authorName: "Ian Pollard",
        email: "ian.pollard@example.com",
        website: "https://example.org/ianpollard",
        body: "Soft ground under a harbour wall is hardly a surprise. Who signed off the original surveys?",
        minutesAfter: 61,
      },
    ],
  },
  {
    slug: "heatwave-warning-hottest-week-on-record",
    title: "Heatwave warning issued as Port Averne braces for its hottest week on record",
    standfirst:
      "Forecasters expect temperatures above 34C from Thursday, and the council is opening cooling centres in " +
      "libraries and community halls.",
    body: `A heatwave warning has been issued for Port Averne and the surrounding coast, with forecasters predicting
temperatures of 34C or higher from Thursday until at least Monday. If the forecast holds, it would be the hottest
week since local records began in 1911.

The sea breeze that usually keeps the harbour a few degrees cooler than inland towns is expected to be weak,
according to the Averne Institute of Marine Science, which runs the city's main weather station on Northpoint.

## Cooling centres and advice

The council will open cooling centres in six libraries and three community halls, with extended hours over the
weekend. Public health officials are urging residents to check on elderly neighbours, keep curtains closed during
the day and avoid strenuous exercise between 11am and 4pm.

"Heat is a *quiet* emergency," said Dr Ines Calloway, the city's director of public health. "People don't see it
coming the way they see a storm, and older people living alone are most at risk."

Sound Link Ferries said it would add extra crossings to Fennick Island on Saturday and Sunday, expecting large
crowds heading for the beaches at Gullhaven.`,
    authors: ["tomas-lindqvist"],
    topics: ["climate", "science"],
    hoursAgo: 1,
    comments: [
      {
        key: "c1",
        authorName: "Rosa Delacourt",
        email: "rosa.delacourt@example.com",
        body:
          "Can the council publish the cooling centre addresses somewhere other than a PDF? " +
          "My mum can't open them on her phone.",
        minutesAfter: 8,
      },
      {
        key: "c2",
        authorName: "Owen Trask",
        email: "owen.trask@example.com",
        body: "Record heat in the same week the flood barrier gets delayed again. Feels like a pattern.",
        minutesAfter: 26,
      },
      {
        key: "c3",
        replyTo: "c2",
        authorName: "Beth Harlow",
        email: "beth.harlow@example.com",
        body: "One hot week isn't a pattern, Owen. Though I admit the last few summers have been something else.",
        minutesAfter: 40,
      },
    ],
  },
  {
    slug: "mayoral-election-debate-housing-dominates",
    title: "Housing dominates first debate of the mayoral election campaign",
    standfirst: "Three candidates clashed over rents, empty homes and Brackwater Fields in a packed Old Customs House.",
    body: `The three candidates for mayor of Port Averne spent most of Wednesday night's debate arguing about housing,
in a sign of how the issue has come to define this year's election.
More than 400 people filled the Old Customs House for the event, organised by the Courier and the Port Averne
Chamber of Commerce. Dozens more watched a livestream outside on the Quay.

## Three very different plans

Councillor Rafael Quint, standing for Harbour First, promised to bring 600 empty homes back into use within two
years, using compulsory purchase where owners refuse to cooperate. Independent candidate Adaeze Holm called
instead for a city-owned housing company that would build and rent homes directly. Theo Marchbank, a former
harbour master running on a low-tax platform, said the answer was to *get out of the way* of private builders.

The sharpest exchange came over Brackwater Fields, the former rail yard earmarked for 400 homes. Holm accused
Quint of voting for a scheme with "almost no affordable housing", while Quint said the site would have stood
empty for another decade without a private partner.

> "People in this room are spending half their wages on rent," Holm said. "That is not a market working. That is
> a city failing."

Marchbank drew the biggest laugh of the night when asked about the ferry: "I'm the only person on this stage
who has actually driven one."

## What the audience asked

Questions from the floor ranged well beyond housing. One island resident asked all three candidates whether they
would guarantee the ferry fare freeze beyond next spring; only Quint said yes without conditions. A Lowtown
shopkeeper asked about the delayed flood barrier, and a student wanted to know why none of the candidates had
mentioned the Route 13 bus.
Polling day is 14 weeks away. A second debate, focused on transport and the budget, is scheduled for next month.`,
    authors: ["maya-okafor", "priya-raman"],
    topics: ["city-hall", "housing"],
    hoursAgo: 20,
    comments: [
      {
        key: "c1",
        authorName: "Fiona Quayle",
        email: "fiona.quayle@example.com",
        body: "Holm was the only one with numbers. Compulsory purchase sounds good until you see how long it takes.",
        minutesAfter: 45,
      },
      {
        key: "c2",
        replyTo: "c1",
        authorName: "Darren Hext",
        email: "darren.hext@example.com",
        body: "A city-owned housing company would take even longer, and who pays for it? Quint at least has a record.",
        minutesAfter: 71,
      },
      {
        key: "c3",
        replyTo: "c2",
        authorName: "Fiona Quayle",
        email: "fiona.quayle@example.com",
        body: "A record of voting for Brackwater Fields with 8% affordable homes. I'd rather take the slower route.",
        minutesAfter: 88,
      },
      {
        key: "c4",
        authorName: "Sam Ibekwe",
        email: "sam.ibekwe@example.org",
        website: "http://example.org/sam",
        body:
          'Testing whether the comment box escapes things properly: <b>not bold</b> & "quotes" should show as ' +
          "typed. Also, great line from Marchbank about the ferry.",
        minutesAfter: 130,
      },
      {
        key: "c5",
        authorName: "Alice Penrose",
        email: "alice.penrose@example.com",
        body: "Will the second debate be livestreamed as well? Some of us couldn't get anywhere near the door.",
        minutesAfter: 204,
      },
    ],
  },
  {
    slug: "saltmarsh-terraces-tenants-face-rent-rise",
    title: "Saltmarsh Terraces tenants face 22% rent rise after sale to investment fund",
    standfirst:
      "Residents of the 1930s estate say they were given six weeks' notice of increases that could force " +
      "families out of the neighbourhood.",
    body: `Tenants at Saltmarsh Terraces, a row of 140 homes overlooking Merrow Bay, have been told their rents will
rise by an average of 22% from September after the estate was sold to a London-based investment fund.

Letters sent to households last week give six weeks' notice of the increase, which for a typical two-bedroom
home means an extra £190 a month. The new owner, Tidemark Residential Partners, said the rises brought rents
"in line with the local market" and would fund long-overdue repairs.

Several tenants told the Courier they had been waiting years for those repairs. Jasmine Orell, who has lived on
the estate for 17 years, said damp in her children's bedroom had been reported to the previous landlord at least
nine times.

"If they fix the damp, brilliant," she said. "But I can't find £190 a month. Nobody here can. We're nurses and
bus drivers and cleaners."

The council's housing team said it had no power to cap private rents but would offer advice sessions at the
Merrow Community Centre. A tenants' union meeting is planned for Saturday.`,
    authors: ["priya-raman"],
    topics: ["housing"],
    hoursAgo: 31,
    comments: [
      {
        key: "c1",
        authorName: "Kofi Benning",
        email: "kofi.benning@example.com",
        body: "Solidarity to everyone at Saltmarsh. I'll be at the meeting on Saturday.",
        minutesAfter: 19,
      },
      {
        key: "c2",
        authorName: "Pauline Gray",
        email: "pauline.gray@example.com",
        body:
          "I'm a small landlord myself and rents have been flat there for years. Repairs cost money. " +
          "22% is steep, but the old rents were well below market.",
        minutesAfter: 66,
      },
    ],
  },
  {
    slug: "lantern-festival-returns-to-the-quay",
    title: "Lantern festival returns to the Quay after three-year absence",
    standfirst:
      "Thousands are expected on the waterfront for a night of paper lanterns, street food and a flotilla of " +
      "lit boats.",
    body: `The Port Averne Lantern Festival will return to the Quay next month for the first time in three years,
organisers confirmed on Monday.

The festival, which began in the 1980s as a small gathering of fishing families marking the end of the herring
season, grew into one of the city's biggest nights out before it was cancelled over safety and funding concerns.

This year's event will be smaller and more tightly managed, with a ticketed zone around the harbour steps and
free viewing along Harbour Road. Highlights include:

- a flotilla of more than 60 illuminated boats, led by the restored pilot cutter *Kittiwake*
- a lantern-making tent for children run by the Merrow Arts Collective
- a late-night market with local food and drink stalls

"We wanted to bring it back as something the whole city owns again," said festival director Nell Caddick. "Not a
corporate event, just a lot of people standing on a harbour wall with paper lanterns."

Free tickets for the harbour steps will be released in batches, starting this Friday, on the
[festival website](https://example.org/lantern-festival/tickets).`,
    authors: ["declan-shore"],
    topics: ["culture"],
    hoursAgo: 44,
    comments: [
      {
        key: "c1",
        authorName: "Hattie Morrow",
        email: "hattie.morrow@example.com",
        body: "My grandad used to steer one of the boats in the flotilla. So glad it's back.",
        minutesAfter: 31,
      },
      {
        key: "c2",
        authorName: "Neil Varga",
        email: "neil.varga@example.com",
        body: "Ticketing a free community festival feels like the wrong direction, even if the tickets cost nothing.",
        minutesAfter: 74,
      },
      {
        key: "c3",
        replyTo: "c2",
        authorName: "Nell Caddick",
        email: "nell.caddick@example.org",
        website: "https://example.org/lantern-festival",
        body:
          "Fair point, Neil. The ticketed area is only the harbour steps, for crowd safety. " +
          "The rest of the waterfront is open to everyone as always.",
        minutesAfter: 112,
      },
    ],
  },
  {
    slug: "averne-rovers-clinch-promotion",
    title: "Averne Rovers clinch promotion with stoppage-time winner at Kestrel Park",
    standfirst: "A header from 19-year-old Callum Doyle sent the home crowd onto the pitch and Rovers up a division.",
    body: `Averne Rovers are going up. A stoppage-time header from teenage striker Callum Doyle secured a 2-1 win over
Wexmoor Town on Saturday and sealed promotion with one game to spare.

Rovers had trailed at half-time after a sloppy goal conceded from a corner, and for long spells looked nervous in
front of a sell-out crowd of 6,200 at Kestrel Park. Captain Joel Arkwright levelled with a low shot on 71
minutes, and Doyle rose at the back post in the 93rd minute to send the stadium into chaos.

Hundreds of supporters ran onto the pitch at the final whistle. Stewards eventually cleared it so the players
could return for a lap of honour.

"I don't really remember the header," Doyle said afterwards. "I remember *everyone* landing on me."

Manager Sian Petrakis, who took over two years ago with the club near the bottom of the table, said the promotion
belonged to the town. The club will host an open-top bus parade along Harbour Road on Sunday afternoon.`,
    authors: ["declan-shore"],
    topics: ["sport"],
    hoursAgo: 52,
    comments: [
      {
        key: "c1",
        authorName: "Gary Tolland",
        email: "gary.tolland@example.com",
        body: "Forty years a season ticket holder and I've never heard Kestrel Park that loud. Up the Rovers!",
        minutesAfter: 12,
      },
      {
        key: "c2",
        authorName: "Meera Shah",
        email: "meera.shah@example.com",
        body: "Brilliant result, but the pitch invasion was dangerous. Someone's going to get hurt one day.",
        minutesAfter: 58,
      },
      {
        key: "c3",
        replyTo: "c2",
        authorName: "Gary Tolland",
        email: "gary.tolland@example.com",
        body: "It was joyful, Meera, not dangerous. Kids and grandparents out there hugging each other.",
        minutesAfter: 83,
      },
      {
        key: "c4",
        replyTo: "c3",
        authorName: "Meera Shah",
        email: "meera.shah@example.com",
        body: "I was there with my kids too. Both things can be true.",
        minutesAfter: 97,
      },
    ],
  },
  {
    slug: "greaves-shipyard-reopens-electric-ferries",
    title: "Greaves shipyard reopens with 200 jobs building electric ferries",
    standfirst:
      "The yard closed in 2014. Now a new owner says it can become the centre of the country's battery-powered " +
      "ferry industry.",
    body: `The Greaves shipyard on the east bank of the Averne estuary will reopen this autumn, creating around 200 jobs
building battery-electric ferries and workboats.

The yard, which launched more than 300 vessels in its 110-year history, closed in 2014 after its last owner went
into administration. Its cranes have stood idle ever since, a familiar and somewhat melancholy part of the city
skyline.

The new owner, Solent Marine Electric, has signed a 25-year lease and says it has firm orders for four vessels,
including two for Sound Link Ferries' Fennick Island route. Chief executive Marguerite Olander said Port Averne
had "exactly the skills we need, sitting in the workforce, waiting to be asked."

## Training and apprenticeships

Around 40 of the new roles will be apprenticeships, run with Port Averne College. The company expects to recruit
welders, electricians, marine engineers and naval architects, with the first vacancies advertised next month.

Former yard workers gave the news a cautious welcome. "I've heard the yard is reopening about five times," said
Dennis Colby, who worked at Greaves for 31 years. "If I see a hull in that dock, I'll believe it."`,
    authors: ["priya-raman"],
    topics: ["business", "transport", "climate"],
    hoursAgo: 67,
    comments: [
      {
        key: "c1",
        authorName: "Tariq Hussein",
        email: "tariq.hussein@example.com",
        body: "Fantastic news. My dad worked there. Any word on whether the apprenticeships are open to adults?",
        minutesAfter: 27,
      },
    ],
  },
  {
    slug: "electric-ferry-trial-inner-sound",
    title: "Electric ferry trial on the Inner Sound cuts fuel costs by half",
    standfirst:
      "A six-month trial of a battery-powered vessel between Port Averne and Fennick Island has exceeded " +
      "expectations, researchers say.",
    body: `A battery-electric ferry trialled on the Inner Sound crossing since January has cut energy costs by more than
half compared with the diesel vessels it replaced, according to an interim report from the Averne Institute of
Marine Science.

The vessel, the *Tern*, has made more than 2,100 crossings between the Quay and Fennick Island, charging for
eight minutes at each end of its 20-minute journey. Researchers fitted it with sensors to measure energy use,
battery wear, noise and vibration.

Key findings from the interim report:

- energy costs per crossing down 54% compared with diesel
- underwater noise reduced by around 70%, which may benefit the harbour porpoise population
- no cancellations caused by the battery system, although three crossings were delayed by charger faults

"The honest surprise was the winter," said Dr Anneke Voss, who leads the research. "We expected cold weather to
hurt battery performance much more than it did."

Not everyone is convinced. Some island residents say the *Tern* is less comfortable in rough weather and carries
fewer cars than the older vessels. Sound Link Ferries says the two new ferries on order from the Greaves
shipyard will be larger. The full report is due in the autumn and will be published on the
[institute's website](https://example.org/aims/ferry-trial).

## What happens next

If the final results hold up, the council says it will consider a timetable for replacing the whole diesel fleet
by the early 2030s. That would require new charging points at both terminals and an upgraded grid connection on
Fennick Island, which currently relies on a single undersea cable. Officers have warned that the cable alone could
cost more than the ferries themselves.`,
    authors: ["tomas-lindqvist", "declan-shore"],
    topics: ["transport", "climate", "science"],
    hoursAgo: 80,
    comments: [
      {
        key: "c1",
        authorName: "Iona Blackwood",
        email: "iona.blackwood@example.com",
        body: "I take the Tern twice a day. It's lovely and quiet, but it rolls a lot more than the old boats.",
        minutesAfter: 35,
      },
      {
        key: "c2",
        replyTo: "c1",
        authorName: "Peter Gallo",
        email: "peter.gallo@example.com",
        body: "That's the hull shape, not the batteries. The new ones are meant to be much more stable.",
        minutesAfter: 58,
      },
      {
        key: "c3",
        replyTo: "c2",
        authorName: "Iona Blackwood",
        email: "iona.blackwood@example.com",
        body: "Good to know, thanks. I'll hold on to my travel sickness bands until then.",
        minutesAfter: 79,
      },
      {
        key: "c4",
        authorName: "Harriet Lyle",
        email: "harriet.lyle@example.org",
        website: "https://example.org/porpoise-watch",
        body:
          "The underwater noise figure is the real headline for us. " +
          "We've logged more porpoise sightings near the ferry lane this spring than in years.",
        minutesAfter: 140,
      },
      {
        key: "c5",
        authorName: "Colin Fairweather",
        email: "colin.fairweather@example.com",
        body: "Half the fuel cost, but what did the chargers cost? The report should include that.",
        minutesAfter: 233,
      },
      {
        key: "c6",
        replyTo: "c5",
        authorName: "Iona Blackwood",
        email: "iona.blackwood@example.com",
        body: "It's an interim report, Colin. The article says the full one is out in the autumn.",
        minutesAfter: 251,
      },
    ],
  },
  {
    slug: "sea-level-rising-faster-at-harbour",
    title: "Sea level at Port Averne harbour rising faster than expected, study finds",
    standfirst: "A century of tide gauge records shows the rate of rise has nearly doubled since the 1990s.",
    body: `Sea level in Port Averne harbour is rising nearly twice as fast as it was thirty years ago, according to a
new study of tide gauge records dating back to 1921.

Researchers at the Averne Institute of Marine Science digitised handwritten logbooks kept by harbour masters
before the gauge was automated in 1968. Combined with modern data, the records show an average rise of 1.8mm a
year through most of the twentieth century, increasing to around 3.5mm a year since 1993.

The team also found that part of the local rise is caused by the land itself slowly sinking, particularly
beneath Lowtown, which was built on reclaimed marsh.

"A few millimetres a year sounds like nothing," said lead author Dr Kwame Ashdown. "But it compounds. Every
centimetre of extra sea level makes a given storm surge more likely to overtop the harbour wall and flood the
streets behind it."

The findings are likely to feed into the debate over the delayed harbour flood barrier, which was designed using
older projections. The institute said it had shared its data with council engineers.`,
    authors: ["tomas-lindqvist"],
    topics: ["science", "climate"],
    hoursAgo: 95,
    comments: [],
  },
  {
    slug: "library-hours-budget-consultation",
    title: "Four branch libraries could lose evening opening in budget shake-up",
    standfirst: "Campaigners say the proposal would hit students and shift workers hardest.",
    body: `Four of Port Averne's branch libraries could stop opening in the evenings under proposals in the council's
draft budget, saving an estimated £310,000 a year.

The libraries at Merrow, Northpoint, Kestrel Hill and Tanner Street currently open until 8pm three nights a week.
Under the plan they would close at 5pm every day, with the central library on Harbour Road keeping its late
opening.

Campaign group Friends of Averne Libraries said the change would hit students, shift workers and families who
rely on evening access to computers and quiet study space. The group has collected more than 2,000 signatures in
a week.

> "For some kids on the Tanner Street estate, the library after school is the only warm, quiet place they have
> to do homework," said campaigner Eleanor Whitlock.

The council says evening visitor numbers at the four branches have fallen by a third since 2019 and that no
library will close outright. The budget consultation runs until the end of next month. Comments on this article
have been closed because of the volume of duplicated campaign messages; readers can respond to the consultation
directly.`,
    authors: ["maya-okafor"],
    topics: ["city-hall", "culture"],
    hoursAgo: 110,
    commentsOpen: false,
    comments: [],
  },
  {
    slug: "route-13-bus-cut-kestrel-hill",
    title: "Route 13 bus to be axed, leaving Kestrel Hill without an evening service",
    standfirst:
      "The operator says passenger numbers no longer justify the route, but residents say they have nowhere " +
      "else to turn.",
    body: `The number 13 bus between the city centre and Kestrel Hill will stop running in October, operator Averne
Coastal Buses has confirmed, leaving the hilltop estate with no public transport after 7pm.

The company said average loadings on the route had fallen to fewer than eight passengers per journey and that it
could no longer run the service without subsidy. The council withdrew its support for the route in last year's
budget.

Residents say the cut will leave older people and those without cars isolated. The estate sits at the top of a
steep climb from the harbour, and the nearest alternative bus stop is a 25-minute walk away.

"It's easy to say use another bus when you don't live up here," said Brendan Akers, 74, who uses the 13 to reach
his hospital appointments. "*Walk down the hill*, they say. Fine. Now walk back up it."

Councillors will discuss a possible demand-responsive minibus service for the area at the transport committee next
week. Averne Coastal Buses said it was open to discussions but that any replacement would require council
funding.`,
    authors: ["declan-shore"],
    topics: ["transport", "city-hall"],
    hoursAgo: 128,
    comments: [
      {
        key: "c1",
        authorName: "Linda Crewe",
        email: "linda.crewe@example.com",
        body: "Eight passengers a journey is eight people who now have no way home. That matters.",
        minutesAfter: 43,
      },
      {
        key: "c2",
        authorName: "Robert Yeo",
        email: "robert.yeo@example.com",
        body:
          "Running a full-size bus for eight people isn't sensible either. A minibus on demand sounds like the " +
          "right answer if the council pays for it.",
        minutesAfter: 90,
      },
    ],
  },
  {
    slug: "lowtown-flood-insurance-homeowners",
    title: "Lowtown homeowners priced out of flood insurance as premiums triple",
    standfirst:
      "Some residents say they cannot sell or remortgage their homes because insurers will no longer cover " + "them.",
    body: `Homeowners in Lowtown, Port Averne's most flood-prone district, say their flood insurance premiums have
tripled since last winter's storm, and some have been refused cover altogether.

The Courier spoke to 15 households on streets behind the fish market. Eleven said their premiums had at least
doubled, and three said they had been unable to find any insurer willing to cover flood damage.
Without flood cover, homeowners can struggle to remortgage or sell, because most lenders require it. Paul and
Deborah Tenby, who have lived on Cooper's Lane for 22 years, had hoped to downsize this year.

"We had a buyer lined up," said Deborah Tenby. "Their mortgage fell through the day their lender saw the flood
map. Our house is now worth what, exactly? Nobody can tell us."

## What can be done

Insurance brokers say premiums are likely to fall once the harbour flood barrier is working, but with the
project delayed until 2028 at the earliest, that offers little comfort. Local brokers suggested residents:

- check whether their home qualifies for a national flood reinsurance scheme
- keep records of any flood-resistance work, such as raised sockets or non-return valves
- ask the council for a letter confirming the temporary quayside defences

The council said it was "aware of the problem" and would raise it with insurers at a meeting next month.
For the Tenbys, that timetable feels painfully slow. "Every month we wait, the house is a little less of a home
and a little more of a problem," Paul Tenby said. "We didn't choose to live next to the sea getting higher."`,
    authors: ["priya-raman", "tomas-lindqvist"],
    topics: ["housing", "climate", "business"],
    hoursAgo: 143,
    comments: [
      {
        key: "c1",
        authorName: "Deborah Tenby",
        email: "deborah.tenby@example.com",
        body: "Thank you for covering this. We're not the only ones on our street stuck like this.",
        minutesAfter: 64,
      },
      {
        key: "c2",
        authorName: "Marcus Hale",
        email: "marcus.hale@example.com",
        body:
          "Insurers are pricing the risk honestly. Harsh, but building on reclaimed marsh was always going to end " +
          "here.",
        minutesAfter: 118,
      },
      {
        key: "c3",
        replyTo: "c2",
        authorName: "Rina Patel",
        email: "rina.patel@example.com",
        body: "Most people in Lowtown didn't build anything, Marcus. They bought homes the city told them were safe.",
        minutesAfter: 140,
      },
    ],
  },
  {
    slug: "harbour-marathon-start-moved-heatwave",
    title: "Harbour Marathon start moved to 6am over heatwave fears",
    standfirst:
      "Organisers have brought the race forward by three hours and added extra water stations along the " +
      "coastal path.",
    body: `The Port Averne Harbour Marathon will start at 6am on Sunday, three hours earlier than planned, after
forecasters extended the city's heatwave warning into the weekend.

Race director Olu Brannigan said the decision was taken on medical advice. Temperatures are expected to reach 31C
by late morning, when slower runners would still have been on the course.

Organisers have also doubled the number of water stations to 16, added misting showers at Northpoint and the
Merrow Bay turn, and arranged for extra medical teams along the exposed coastal path section.

"We'd rather have 3,000 slightly grumpy runners setting their alarms early than one person in hospital," Brannigan
said.

Runners who no longer wish to take part can defer their entry to next year free of charge. Road closures along
Harbour Road will now begin at 5am, and Sound Link Ferries will run an extra early sailing from Fennick Island
for island-based participants.`,
    authors: ["declan-shore"],
    topics: ["sport", "climate"],
    hoursAgo: 160,
    comments: [
      {
        key: "c1",
        authorName: "Jo Castellan",
        email: "jo.castellan@example.com",
        body: "A 6am start means a 4am alarm for me. Grumpy, yes. But the right call.",
        minutesAfter: 17,
      },
      {
        key: "c2",
        authorName: "Eddie Marsh",
        email: "eddie.marsh@example.com",
        body:
          "Those of us living on Harbour Road would have appreciated more than four days' notice of a 5am road " +
          "closure.",
        minutesAfter: 49,
      },
    ],
  },
  {
    slug: "brackwater-fields-housing-vote",
    title: "Council approves 400 homes at Brackwater Fields after marathon meeting",
    standfirst:
      "The former rail yard scheme passed by a single vote, with the share of affordable housing raised at " +
      "the last minute.",
    body: `Port Averne City Council has approved plans for 400 new homes on the former Brackwater Fields rail yard,
ending a three-year planning saga that has become a flashpoint in the mayoral election.

The scheme passed by 24 votes to 23 after a meeting that ran past midnight. In a late concession, developer
Estuary Living agreed to raise the share of affordable housing from 8% to 15%, which won over two wavering
councillors.

The development will include a primary school, a health centre and a new footbridge over the railway to the
Quay. Construction is expected to begin next spring and take around six years.

Campaigners who wanted a higher share of affordable homes said the result was "better than nothing, but not by
much". Housing charity Shoreline Homes estimates that more than 3,000 households are on the city's housing
waiting list.

The vote will almost certainly feature in the election campaign. Councillor Rafael Quint, the Harbour First
mayoral candidate, voted in favour; independent candidate Adaeze Holm, who is not a councillor, called the
outcome "a missed opportunity the city will live with for fifty years".`,
    authors: ["maya-okafor"],
    topics: ["housing", "city-hall"],
    hoursAgo: 178,
    comments: [
      {
        key: "c1",
        authorName: "Yusuf Karim",
        email: "yusuf.karim@example.com",
        body: "400 homes is 400 homes. The rail yard has been a fenced-off eyesore my whole life.",
        minutesAfter: 55,
      },
      {
        key: "c2",
        authorName: "Clare Dunmore",
        email: "clare.dunmore@example.org",
        website: "https://example.org/shoreline-homes",
        body: "15% affordable on public land is a poor deal. Other cities manage 35% or more.",
        minutesAfter: 102,
      },
      {
        key: "c3",
        replyTo: "c2",
        authorName: "Yusuf Karim",
        email: "yusuf.karim@example.com",
        body:
          "Other cities don't have a contaminated rail yard to clean up first. I'd take 15% built over 35% on " +
          "paper.",
        minutesAfter: 126,
      },
    ],
  },
  {
    slug: "fish-market-traders-lease-dispute",
    title: "Fish market traders threaten to walk out over new lease terms",
    standfirst:
      "The council wants to modernise the historic market hall, but traders say the new rents would put " +
      "family firms out of business.",
    body: `Traders at Port Averne's fish market have threatened to leave the historic market hall unless the council,
which owns the building, rethinks proposed new leases.

Under the draft terms, stall rents would rise by around 40% over three years to pay for a refurbishment of the
Victorian hall, including new refrigeration, drainage and a public seafood restaurant on the upper floor.

The market's 23 traders, many of them third- or fourth-generation family businesses, say they support the
refurbishment in principle but cannot absorb the increases.

"We've been here since my great-grandmother's time," said fishmonger Stella Rourke. "*Modernise* is a lovely
word until you realise it means the people who made this place can't afford to stand in it."

A council spokesperson said the market had not had a major refurbishment since 1974 and was losing money. The
council is offering traders a 12-month rent-free period during the works and says it is open to phasing the
increases over a longer period.

The traders' association will meet council officers next week. If talks fail, some traders say they will move
to a unit on the Greaves industrial estate.`,
    authors: ["priya-raman"],
    topics: ["business", "city-hall"],
    hoursAgo: 199,
    comments: [],
  },
  {
    slug: "merrow-bay-seagrass-restoration",
    title: "Volunteers replant a hectare of seagrass in Merrow Bay",
    standfirst:
      "Scientists hope the underwater meadows will lock away carbon, shelter young fish and soften the " +
      "waves that erode the shoreline.",
    body: `More than 150 volunteers spent the weekend wading through the shallows of Merrow Bay, planting seagrass seeds
across an area roughly the size of a football pitch.

The project, led by the Averne Institute of Marine Science, aims to restore some of the underwater meadows that
once covered much of the bay. Surveys suggest nearly 90% of the seagrass was lost during the twentieth century,
mostly to pollution, dredging and disease.

Seagrass meadows store carbon in the seabed, provide nursery grounds for young fish and help reduce wave energy,
which can protect the shoreline from erosion and take some of the sting out of flood surges during storms.

> "It's slow work and it's muddy work," said marine ecologist Dr Leila Farrant, "but seagrass is one of the few
> climate tools you can plant with your hands."

Last summer's heatwave caused some die-off in an earlier trial plot, and the team is now testing seed from
different sources to see which plants cope best with warmer water. Anyone interested in volunteering can sign up
through the [institute's volunteer page](https://example.org/aims/seagrass).`,
    authors: ["tomas-lindqvist"],
    topics: ["science", "climate"],
    hoursAgo: 221,
    comments: [
      {
        key: "c1",
        authorName: "Anya Rusk",
        email: "anya.rusk@example.com",
        body: "I did Saturday's shift. Lost a welly in the mud but would absolutely go again.",
        minutesAfter: 90,
      },
    ],
  },
  {
    slug: "election-turnout-drive-young-voters",
    title: "Turnout drive targets young voters ahead of mayoral election",
    standfirst: "Fewer than one in four under-25s voted last time. Students and youth groups want to change that.",
    body: `A coalition of student unions, youth clubs and sports teams has launched a campaign to get more young people
registered and voting in Port Averne's mayoral election.

At the last election, turnout among 18- to 24-year-olds was estimated at just 23%, compared with 61% among those
over 65. Organisers of the *Your Averne* campaign say the gap means young people's priorities, particularly on
housing and transport, are routinely overlooked.

The campaign will run registration stalls at Port Averne College, the university campus and Kestrel Park on match
days, and is organising a youth hustings with all three mayoral candidates.

"Every candidate says they care about young people," said campaign coordinator Jordan Ellery, 20. "Let's see them
say it in a room full of us."

The deadline to register to vote is 12 working days before polling day. The council's electoral services team
said it would extend opening hours at the registration office in the final week.`,
    authors: ["maya-okafor"],
    topics: ["city-hall"],
    hoursAgo: 246,
    comments: [],
  },
  {
    slug: "port-averne-film-festival-lineup",
    title: "Port Averne Film Festival unveils its biggest lineup yet",
    standfirst:
      "Forty films, six premieres and a new outdoor screen on the harbour wall headline this year's festival.",
    body: `The Port Averne Film Festival has announced a programme of 40 films across ten days, its largest since it
began in a single church hall in 2003.

Six films will have their first public screenings at the festival, including *Salt Road*, a documentary about the
last herring boats to work out of the harbour, and *The Lamplighter's Daughter*, a drama shot on Fennick Island
last year.

New for this year is a free outdoor screen on the harbour wall, which will show classic seafaring films every
evening at dusk. Festival director Amara Whitcombe said the outdoor programme was designed to "bring people who
would never buy a festival pass down to the water".

The festival is also a significant boost for the local economy. A study commissioned by the organisers estimated
that last year's event brought in £2.3 million in spending at hotels, restaurants and bars, with the busiest
weekend rivalling the Lantern Festival.

Passes go on sale on Monday. Individual tickets will be available from the Harbour Picturehouse box office and
online.`,
    authors: ["declan-shore", "priya-raman"],
    topics: ["culture", "business"],
    hoursAgo: 270,
    comments: [
      {
        key: "c1",
        authorName: "Rhiannon Vale",
        email: "rhiannon.vale@example.com",
        body: "Salt Road is wonderful. I saw a rough cut at a community screening and half the room was in tears.",
        minutesAfter: 40,
      },
      {
        key: "c2",
        authorName: "Stuart Penhallow",
        email: "stuart.penhallow@example.com",
        body: "The outdoor screen is a great idea. Please keep it going after the festival.",
        minutesAfter: 85,
      },
    ],
  },
  {
    slug: "harbour-road-cycle-lane-approved",
    title: "Harbour Road cycle lane approved despite traders' objections",
    standfirst: "A protected two-way cycle lane will replace 90 parking spaces along the waterfront.",
    body: `A protected two-way cycle lane will be built along the length of Harbour Road after the council's transport
committee approved the scheme on Thursday by five votes to three.

The 2.4km lane will link the ferry terminal on the Quay with Northpoint and the university campus, replacing
around 90 on-street parking spaces. Construction is expected to take eight months.

Supporters say the lane will make one of the city's most dangerous roads safer; there were 27 collisions
involving cyclists on Harbour Road in the past five years. Opponents, including several waterfront businesses,
argue that losing parking will drive customers away.

"We are not against bikes," said Gerald Finch, who runs a chandlery near the ferry terminal. "We are against
losing every space outside our shop with nowhere for deliveries to stop."

The council says loading bays will be kept at intervals along the route and that footfall on similar schemes in
other cities has generally risen. Comments are closed on this article because of a legal complaint relating to
earlier coverage.`,
    authors: ["declan-shore", "maya-okafor"],
    topics: ["transport", "city-hall"],
    hoursAgo: 301,
    commentsOpen: false,
    comments: [],
  },
  {
    slug: "merrow-rowing-club-boathouse-appeal",
    title: "Merrow Rowing Club launches appeal to rebuild flood-damaged boathouse",
    standfirst: "The 120-year-old club lost nine boats when the February storm surge tore through its shed.",
    body: `Merrow Rowing Club has launched a fundraising appeal to rebuild its boathouse, which was badly damaged when a
storm surge flooded the Merrow Bay shoreline in February.

The club lost nine boats, including two racing eights, and much of its equipment. The wooden boathouse, built in
1904, is structurally unsafe and members have been storing the surviving boats in a borrowed barn.

The club needs to raise £280,000 for a new boathouse, raised above predicted flood levels and designed so that
water can pass underneath during future surges.

"We've rowed on the Sound through two world wars," said club captain Fenella Ross. "A flood isn't going to be the
end of us, but we can't do it alone."

The appeal has already raised £41,000, including a donation from Averne Rovers, whose players joined club members
for a charity row across the Inner Sound last week.

Members hope to have the new boathouse finished in time for the club's annual regatta in two years' time. Until
then, juniors are training on borrowed boats from clubs further up the estuary, and the club is asking anyone
with a spare trailer or storage space near Merrow Bay to get in touch.`,
    authors: ["declan-shore"],
    topics: ["sport", "culture"],
    hoursAgo: 340,
    comments: [
      {
        key: "c1",
        authorName: "Alastair Reid",
        email: "alastair.reid@example.com",
        body: "Rowed for Merrow in the 1980s. Donated today, and I hope other old members do the same.",
        minutesAfter: 33,
      },
      {
        key: "c2",
        authorName: "Priyanka Doshi",
        email: "priyanka.doshi@example.com",
        body: "Shouldn't the club's insurance be covering this? Genuine question.",
        minutesAfter: 77,
      },
      {
        key: "c3",
        replyTo: "c2",
        authorName: "Fenella Ross",
        email: "fenella.ross@example.org",
        body:
          "It covered some of the boats, but the building was uninsurable for flood after 2019. " +
          "That's partly why we're raising it up.",
        minutesAfter: 121,
      },
    ],
  },
  {
    slug: "tidal-energy-startup-raises-funds",
    title: "Port Averne tidal energy start-up raises £6m to test turbines in the Sound",
    standfirst: "Currentwell plans to install three small turbines off Fennick Island next summer.",
    body: `A tidal energy company founded by two former university researchers has raised £6 million to test its
turbines in the fast-flowing waters of the Inner Sound.

Currentwell, based in a converted warehouse on the Quay, has developed a small turbine designed to be installed
in clusters close to shore, where it can be maintained without specialist vessels. The company plans to place
three prototypes off the north tip of Fennick Island next summer.

Co-founder Dr Ruth Amankwah said the Inner Sound's strong, predictable tides made it "one of the best natural test
tanks in the country". Unlike wind and solar, tidal power can be forecast decades in advance.

The funding round was led by a regional investment fund, with contributions from several local business owners.
Currentwell employs 18 people and expects to hire ten more, mostly engineers.

Marine scientists at the Averne Institute will monitor the turbines' effects on fish, seabirds and the harbour
porpoise population.`,
    authors: ["priya-raman", "tomas-lindqvist"],
    topics: ["business", "science", "climate"],
    hoursAgo: 389,
    comments: [],
  },
  {
    slug: "maritime-museum-ship-models-exhibition",
    title: "Maritime museum puts 200 years of ship models on show",
    standfirst:
      "A new exhibition at the Customs House Museum brings hundreds of models out of storage for the first " + "time.",
    body: `The Customs House Museum has opened a new exhibition of ship models, bringing more than 300 objects out of
its stores, many of them for the first time in decades.

*Built Small* traces two centuries of shipbuilding in Port Averne, from hand-carved models made by apprentices at
the old Greaves yard to a 3D-printed prototype of the electric ferry now being trialled on the Inner Sound.

Curator Dr Hamish Ogunwale said many of the models were used as working drawings before engineers relied on
paper plans. "Shipwrights would carve a half-model, take it apart in slices and scale up each slice to shape the
real hull," he said. "These aren't toys. They're the science of the time."

The exhibition also includes a hands-on area where children can test model hulls in a wave tank, designed with
help from the Averne Institute of Marine Science.

*Built Small* runs until next spring and will be one of the venues for this year's Lantern Festival late opening.
Entry is free.`,
    authors: ["maya-okafor"],
    topics: ["culture", "science"],
    hoursAgo: 455,
    comments: [],
  },
  {
    slug: "kestrel-park-youth-pitches-saved",
    title: "Youth football pitches saved as housing plan is redrawn",
    standfirst:
      "A revised scheme for land next to Kestrel Park keeps three junior pitches and moves 60 homes to the " +
      "other end of the site.",
    body: `Three junior football pitches next to Kestrel Park will be kept after developers redrew a housing scheme
following a campaign by parents and coaches.

The original plan for 180 homes on council-owned land at Kestrel Hill would have built over the pitches, used
every weekend by more than 30 youth teams. The revised scheme moves 60 of those homes to a disused car park at
the other end of the site and reduces the total to 165.

Campaigners had gathered more than 5,000 signatures and turned up to a planning meeting in full kit. Coach Danny
Ojo, who helped organise the campaign, said the result showed that new housing and green space "don't have to be
enemies".

"We need homes. Some of our players' families are on the housing list themselves," he said. "But we also need
somewhere for their kids to play."

Averne Rovers, whose academy uses the pitches for training, has offered to help fund new changing rooms. The
revised plans will go before the planning committee next month.`,
    authors: ["maya-okafor", "declan-shore"],
    topics: ["sport", "housing"],
    hoursAgo: 598,
    comments: [
      {
        key: "c1",
        authorName: "Kerry Lanyon",
        email: "kerry.lanyon@example.com",
        body: "Brilliant result. My son plays there every Saturday.",
        minutesAfter: 48,
      },
      {
        key: "c2",
        authorName: "Victor Mwangi",
        email: "victor.mwangi@example.com",
        body: "Fifteen fewer homes in a housing crisis. Pitches matter, but so do the families waiting for a flat.",
        minutesAfter: 96,
      },
      {
        key: "c3",
        replyTo: "c2",
        authorName: "Danny Ojo",
        email: "danny.ojo@example.org",
        body: "Fair challenge, Victor. We pushed for the car park site so the loss would be as small as possible.",
        minutesAfter: 150,
      },
    ],
  },
];
