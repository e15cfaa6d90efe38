// Prints world-atlas's 1:110m countries as a GeoJSON FeatureCollection (ids are ISO numeric codes).
import { readFileSync } from "node:fs";
import { feature } from "topojson-client";

const topology = JSON.parse(readFileSync(new URL("./node_modules/world-atlas/countries-110m.json", import.meta.url)));
process.stdout.write(JSON.stringify(feature(topology, topology.objects.countries)));
