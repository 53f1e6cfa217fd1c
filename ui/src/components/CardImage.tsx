import { useState } from "preact/hooks";

interface Props {
  url: string | null;
  alt: string;
  /** `lazy` for grids, so only cards near the viewport are fetched. */
  loading?: "lazy" | "eager";
  className?: string;
}

/** A remote card or logo image that turns into a plain placeholder when it cannot load. */
export function RemoteImage({ url, alt, loading = "lazy", className = "" }: Props) {
  const [failed, setFailed] = useState(false);
  if (!url || failed) {
    return (
      <div class={`image-placeholder ${className}`} role="img" aria-label={`${alt} (no image)`}>
        <span>{alt}</span>
      </div>
    );
  }
  return (
    <img
      class={className}
      src={url}
      alt={alt}
      loading={loading}
      decoding="async"
      onError={() => setFailed(true)}
    />
  );
}
