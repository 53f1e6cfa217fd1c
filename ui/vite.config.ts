/// <reference types="vitest/config" />
import { fileURLToPath } from "node:url";
import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

const uiFolder = fileURLToPath(new URL(".", import.meta.url));

// The UI builds to ui/dist, which tauri.conf.json embeds in the app.
export default defineConfig({
  root: uiFolder,
  plugins: [preact()],
  clearScreen: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // WebKitGTK 2.40 and later, the oldest webview Tauri 2 runs on Linux.
    target: "safari16",
  },
  test: {
    root: uiFolder,
    environment: "jsdom",
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
  },
});
