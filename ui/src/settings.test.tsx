import { cleanup, fireEvent, render, screen } from "@testing-library/preact";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import type { SettingsUpdate, SettingsView } from "./bindings";
import { SettingsPage } from "./components/SettingsPage";

const view: SettingsView = {
  api_url: "https://api.pokemontcg.io/v2",
  api_url_from_env: false,
  default_api_url: "https://api.pokemontcg.io/v2",
  api_key_hint: "…cdef",
  api_key_from_env: false,
  concurrency: 6,
  concurrency_from_env: false,
  max_concurrency: 32,
  database_path: "/home/ash/.local/share/io.holo.desktop/holo.db",
  database_from_env: false,
};

afterEach(() => {
  cleanup();
  clearMocks();
});

function mockSave(onSave: (update: SettingsUpdate) => unknown) {
  mockIPC((command, args) => {
    if (command !== "save_settings") throw new Error(`unexpected command ${command}`);
    return onSave((args as { update: SettingsUpdate }).update);
  });
}

describe("settings page", () => {
  it("shows only the end of the saved key", () => {
    render(<SettingsPage settings={view} onSaved={() => {}} />);
    const keyInput = screen.getByLabelText(/API key/) as HTMLInputElement;
    expect(keyInput.value).toBe("");
    expect(keyInput.placeholder).toBe("Saved key ending …cdef");
  });

  it("keeps the key when the field is left empty", async () => {
    const saved: SettingsUpdate[] = [];
    mockSave((update) => {
      saved.push(update);
      return view;
    });
    render(<SettingsPage settings={view} onSaved={() => {}} />);

    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await screen.findByText(/Settings saved/);
    expect(saved[0].api_key).toEqual({ action: "keep" });
    expect(saved[0].concurrency).toBe(6);
  });

  it("sends a new key to replace the saved one", async () => {
    const saved: SettingsUpdate[] = [];
    mockSave((update) => {
      saved.push(update);
      return view;
    });
    render(<SettingsPage settings={view} onSaved={() => {}} />);

    fireEvent.input(screen.getByLabelText(/API key/), { target: { value: " new-key-1234 " } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await screen.findByText(/Settings saved/);
    expect(saved[0].api_key).toEqual({ action: "replace", key: "new-key-1234" });
  });

  it("shows a rejected value in words", async () => {
    mockSave(() => {
      throw { code: "invalid_settings", message: "The API URL \"ftp://x\" is invalid." };
    });
    render(<SettingsPage settings={view} onSaved={() => {}} />);

    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await screen.findByText(/The API URL "ftp:\/\/x" is invalid./);
  });
});
