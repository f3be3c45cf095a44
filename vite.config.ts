import { svelte } from "@sveltejs/vite-plugin-svelte";
import { fileURLToPath } from "node:url";
import { defineConfig, type UserConfig } from "vite";

const clientRoot = fileURLToPath(new URL("./client", import.meta.url));
const outDir = fileURLToPath(new URL("./dist/client", import.meta.url));
const page = (name: string) =>
  fileURLToPath(new URL(`./client/${name}.html`, import.meta.url));

/**
 * `vite build`: the embed pages (page embed, user dashboard) into dist/client/,
 * hashed assets under dist/client/assets/, and a manifest that scripts/report-sizes.mjs reads.
 */
const pages: UserConfig = {
  root: clientRoot,
  base: "/",
  // The version beacon costs bytes in every embed and tells visitors nothing.
  plugins: [svelte({ compilerOptions: { discloseVersion: false } })],
  build: {
    outDir,
    emptyOutDir: true,
    manifest: true,
    target: "es2022",
    // Every browser that runs the embed supports <link rel=modulepreload>; the polyfill would cost 0.4 KB.
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: {
        "embed-page": page("embed-page"),
        dashboard: page("dashboard"),
      },
    },
  },
};

/**
 * `vite build --mode loader`: the script loader alone, as one unhashed IIFE at dist/client/embed.js,
 * added next to the pages (so it runs second and keeps outDir).
 */
const loader: UserConfig = {
  root: clientRoot,
  publicDir: false,
  build: {
    outDir,
    emptyOutDir: false,
    target: "es2019",
    lib: {
      entry: fileURLToPath(
        new URL("./client/src/loader/embed.ts", import.meta.url),
      ),
      formats: ["iife"],
      name: "PortholeLoader",
      fileName: () => "embed.js",
    },
  },
};

/**
 * `vite build --mode console`: the console, added next to the pages (run after them). A build of its
 * own, so the larger share of the Svelte runtime the console uses never lands in the chunks the
 * embeds load: built together, the page embed grew by about 4.7 kB gzip.
 */
const consoleApp: UserConfig = {
  root: clientRoot,
  base: "/",
  publicDir: false,
  plugins: [svelte({ compilerOptions: { discloseVersion: false } })],
  build: {
    outDir,
    emptyOutDir: false,
    target: "es2022",
    rollupOptions: { input: { console: page("console") } },
  },
};

export default defineConfig(({ mode }) =>
  mode === "loader" ? loader : mode === "console" ? consoleApp : pages,
);
