// Makes the demo newsroom's lead images (src/seed/demo/images.json): one abstract harbour scene
// per topic, in its colours, 1280 x 720 JPEG. Run it again after changing a palette:
//   node scripts/demo-images.mjs
import { readFileSync, writeFileSync } from "node:fs";
import sharp from "sharp";

const PALETTES = {
  "city-hall": ["#2b3a55", "#ce7777", "#f2e5e5"],
  climate: ["#14507a", "#3aa8c1", "#ffd166"],
  transport: ["#1d3557", "#457b9d", "#f1faee"],
  housing: ["#6d597a", "#b56576", "#ffcdb2"],
  science: ["#0b3954", "#087e8b", "#bfd7ea"],
  culture: ["#5f0f40", "#9a031e", "#fb8b24"],
  sport: ["#003049", "#d62828", "#fcbf49"],
  business: ["#283618", "#606c38", "#fefae0"],
};
const W = 1280;
const H = 720;

function scene([sky, sea, sun]) {
  const waves = [0, 1, 2, 3]
    .map((i) => {
      const y = H * 0.62 + i * 56;
      return `<path d="M0 ${y} Q ${W / 4} ${y - 32} ${W / 2} ${y} T ${W} ${y} V ${H} H 0 Z" fill="${sea}" opacity="${0.35 + i * 0.15}"/>`;
    })
    .join("");
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">` +
    `<defs><linearGradient id="s" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${sky}"/>` +
    `<stop offset="1" stop-color="${sun}"/></linearGradient></defs>` +
    `<rect width="${W}" height="${H}" fill="url(#s)"/>` +
    `<circle cx="${W * 0.72}" cy="${H * 0.42}" r="${H * 0.16}" fill="${sun}" opacity=".9"/>${waves}</svg>`
  );
}

const topics = JSON.parse(readFileSync("src/seed/demo/topics.json", "utf8")).map((t) => t.slug);
const out = { width: W, height: H, format: "jpeg", images: {} };
for (const slug of topics) {
  const jpeg = await sharp(Buffer.from(scene(PALETTES[slug])))
    .jpeg({ quality: 70, mozjpeg: true })
    .toBuffer();
  out.images[slug] = jpeg.toString("base64");
}
writeFileSync("src/seed/demo/images.json", JSON.stringify(out, null, 2) + "\n");
console.log(`demo-images: ${topics.length} pictures, ${Object.values(out.images).join("").length} base64 characters`);
