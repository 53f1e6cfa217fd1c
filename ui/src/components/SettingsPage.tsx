import { useState } from "preact/hooks";
import { HostError, saveSettings, type SettingsView } from "../host";

interface Props {
  settings: SettingsView;
  onSaved: (settings: SettingsView) => void;
}

/** API URL, API key and sync concurrency. The key is written, never read back whole. */
export function SettingsPage({ settings, onSaved }: Props) {
  const [apiUrl, setApiUrl] = useState(settings.api_url);
  const [newKey, setNewKey] = useState("");
  const [removeKey, setRemoveKey] = useState(false);
  const [concurrency, setConcurrency] = useState(String(settings.concurrency));
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);

  async function submit(event: Event) {
    event.preventDefault();
    const apiKey = removeKey
      ? { action: "remove" as const }
      : newKey.trim()
        ? { action: "replace" as const, key: newKey.trim() }
        : { action: "keep" as const };
    try {
      const saved = await saveSettings({
        api_url: apiUrl,
        api_key: apiKey,
        concurrency: Number(concurrency),
      });
      setNewKey("");
      setRemoveKey(false);
      setMessage({ kind: "ok", text: "Settings saved. The next sync uses them." });
      onSaved(saved);
    } catch (error) {
      const text = error instanceof HostError ? error.message : String(error);
      setMessage({ kind: "error", text });
    }
  }

  return (
    <form class="settings" onSubmit={submit}>
      <h1>Settings</h1>
      <label>
        API base URL
        <input
          type="url"
          value={apiUrl}
          onInput={(event) => setApiUrl(event.currentTarget.value)}
          disabled={settings.api_url_from_env}
        />
        <small>
          {settings.api_url_from_env
            ? "Set by HOLO_API_URL, which overrides this setting."
            : `The public API is ${settings.default_api_url}.`}
        </small>
      </label>
      <label>
        API key
        <input
          type="password"
          autocomplete="off"
          placeholder={settings.api_key_hint ? `Saved key ending ${settings.api_key_hint}` : "No key saved"}
          value={newKey}
          onInput={(event) => setNewKey(event.currentTarget.value)}
          disabled={settings.api_key_from_env || removeKey}
        />
        <small>
          {settings.api_key_from_env
            ? "Set by HOLO_API_KEY, which overrides this setting."
            : "Optional. A key raises the public API's rate limits. Leave empty to keep the saved key."}
        </small>
      </label>
      {settings.api_key_hint && !settings.api_key_from_env && (
        <label class="inline">
          <input
            type="checkbox"
            checked={removeKey}
            onChange={(event) => setRemoveKey(event.currentTarget.checked)}
          />
          Remove the saved key
        </label>
      )}
      <label>
        Sets fetched at once
        <input
          type="number"
          min={1}
          max={settings.max_concurrency}
          value={concurrency}
          onInput={(event) => setConcurrency(event.currentTarget.value)}
          disabled={settings.concurrency_from_env}
        />
        <small>
          {settings.concurrency_from_env
            ? "Set by HOLO_SYNC_CONCURRENCY, which overrides this setting."
            : `1 to ${settings.max_concurrency}. More is faster until the API starts refusing requests.`}
        </small>
      </label>
      <p class="muted">
        Database: <code>{settings.database_path}</code>
        {settings.database_from_env ? " (set by HOLO_DB)" : ""}
      </p>
      <button type="submit">Save</button>
      {message && <p class={message.kind === "ok" ? "notice" : "error-banner"}>{message.text}</p>}
    </form>
  );
}
