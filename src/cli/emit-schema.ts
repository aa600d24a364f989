import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { printSortedSchema } from "../schema";

/** Writes schema/schema.graphql from the code; `npm run check` fails when the committed file differs. */
printSortedSchema().then((sdl) => {
  const file = join(__dirname, "../../../schema/schema.graphql");
  writeFileSync(file, sdl);
  console.error(`schema: wrote ${file}`);
});
