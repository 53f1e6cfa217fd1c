import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["ui/dist/**", "ui/src/bindings.ts", "tests/e2e/artifacts/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["ui/src/**/*.{ts,tsx}"],
    rules: {
      // Only host.ts may reach the Rust side; every other module goes through it.
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@tauri-apps/*"], message: "Import host functions from ./host instead." },
            { group: ["./bindings", "../bindings"], message: "Import types from ./host instead." },
          ],
        },
      ],
    },
  },
  {
    // WebDriver scripts run in Node and pass functions to the page, so both sets of globals.
    files: ["tests/e2e/**/*.mjs"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ["ui/src/host.ts", "ui/src/**/*.test.{ts,tsx}", "ui/src/test-support.ts"],
    rules: { "no-restricted-imports": "off" },
  },
);
