/**
 * The settings of what a newsroom plugs in: syndication (feeds, sitemaps, SEO URLs), draft previews,
 * images and webhooks. Parsed once by loadConfig (./index.ts), like every other setting.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Env } from "./env";
import { ConfigError, bool, int, oneOf } from "./env";

export interface SyndicationConfig {
  /** The public site's origin (and path prefix), without a trailing slash: https://news.example. */
  readonly siteUrl: string;
  readonly siteName: string;
  /** BCP 47 language of the site's articles (feeds, Google News sitemap). */
  readonly siteLanguage: string;
  /** An article's public URL: absolute, or a path under siteUrl, with {slug} or {id}, and {yyyy} {mm} {dd}. */
  readonly articleUrlPattern: string;
  /** Feed items carry the full body, or the standfirst only. */
  readonly feedContent: "full" | "summary";
  /** Items per feed. */
  readonly feedSize: number;
  /** Most URLs in one sitemap page (an id range of this width). */
  readonly sitemapPageSize: number;
}

export interface PreviewConfig {
  /**
   * The HMAC key of preview links (32+ characters). Unset: a random one is made on first use and kept in the
   * database (table preview_secret), so restarts and every instance on that database agree.
   */
  readonly secret: string | undefined;
  /** Lifetime of a preview link when createArticlePreview gives no expiresIn, in seconds. */
  readonly defaultTtlSeconds: number;
  /** The longest expiresIn accepted, in seconds. */
  readonly maxTtlSeconds: number;
  /** The link handed out: `{token}` is replaced by the token (default: this server's demo page). */
  readonly urlPattern: string;
}

/** Where images live and what an upload may be. */
export interface ImageConfig {
  /** Largest upload in bytes (413 beyond). */
  readonly maxBytes: number;
  /** Most pixels (width x height) an image may have (400 beyond: decompression bombs). */
  readonly maxPixels: number;
  /** Put before every image URL ("" = root-relative paths such as /images/KEY/640.webp). */
  readonly baseUrl: string;
  readonly storage: "local" | "s3";
  /** Local storage: the directory of originals and renditions. */
  readonly dir: string;
  readonly s3: {
    readonly bucket: string;
    readonly region: string;
    readonly endpoint: string | undefined;
    readonly forcePathStyle: boolean;
    readonly accessKeyId: string | undefined;
    readonly secretAccessKey: string | undefined;
    /** Put before every object key ("images/" by default). */
    readonly prefix: string;
  };
}

export interface WebhookSettings {
  /** Deliver to loopback, private, link-local and other non-public addresses (tests, private networks). */
  readonly allowPrivateTargets: boolean;
  /** One delivery's whole request (connect, send, answer); past it the attempt failed. */
  readonly timeoutMs: number;
  /** How long an instance holds an endpoint without renewing; at least twice timeoutMs. */
  readonly leaseMs: number;
  /** How often each instance looks for endpoints with work (also woken by the bus); 0 turns delivery off. */
  readonly pollMs: number;
  /** Events read from the log per statement. */
  readonly batchSize: number;
  /** Endpoints one instance delivers to at the same time. */
  readonly concurrency: number;
  /** First retry delay; doubled each attempt, with jitter, up to backoffMaxMs. */
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  /** An endpoint that has failed for this long is marked FAILING and stops until an admin enables it. */
  readonly retryWindowMs: number;
}

export function previewConfig(env: Env): PreviewConfig {
  const secret = env.PREVIEW_SECRET || undefined;
  if (secret !== undefined && secret.length < 32) {
    throw new ConfigError(`PREVIEW_SECRET must be at least 32 characters, got ${secret.length}`);
  }
  const maxTtlSeconds = int(env, "PREVIEW_MAX_TTL_SECONDS", 30 * 86_400, 60, 366 * 86_400);
  const defaultTtlSeconds = int(env, "PREVIEW_DEFAULT_TTL_SECONDS", Math.min(7 * 86_400, maxTtlSeconds), 60);
  if (defaultTtlSeconds > maxTtlSeconds) {
    throw new ConfigError(
      `PREVIEW_DEFAULT_TTL_SECONDS (${defaultTtlSeconds}) must not exceed PREVIEW_MAX_TTL_SECONDS (${maxTtlSeconds})`,
    );
  }
  const urlPattern = env.PREVIEW_URL || "/preview/{token}";
  if (!urlPattern.includes("{token}")) throw new ConfigError(`PREVIEW_URL must contain {token}, got "${urlPattern}"`);
  return { secret, defaultTtlSeconds, maxTtlSeconds, urlPattern };
}

/** SITE_URL and ARTICLE_URL_PATTERN: an http(s) URL each article URL can be built from. */
export function syndication(env: Env): SyndicationConfig {
  const siteUrl = (env.SITE_URL || "http://localhost:4000").replace(/\/+$/, "");
  if (!/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/i.test(siteUrl) || !URL.canParse(siteUrl)) {
    throw new ConfigError(`SITE_URL must be an http(s) URL without query or fragment, got "${env.SITE_URL}"`);
  }
  const articleUrlPattern = env.ARTICLE_URL_PATTERN || "/live/{slug}";
  const placeholders = articleUrlPattern.match(/\{[^}]*\}/g) ?? [];
  const sample = articleUrlPattern.replace(/\{(yyyy|mm|dd|slug|id)\}/g, "x");
  if (
    !/\{(slug|id)\}/.test(articleUrlPattern) ||
    placeholders.some((p) => !/^\{(yyyy|mm|dd|slug|id)\}$/.test(p)) ||
    !URL.canParse(sample.startsWith("/") ? siteUrl + sample : sample) ||
    !/^(\/|https?:\/\/)/i.test(articleUrlPattern)
  ) {
    throw new ConfigError(
      "ARTICLE_URL_PATTERN must be a path (/...) or an http(s) URL holding {slug} or {id} " +
        `(and only {yyyy}, {mm}, {dd}, {slug}, {id}), got "${articleUrlPattern}"`,
    );
  }
  const siteLanguage = env.SITE_LANGUAGE || "en";
  if (!/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(siteLanguage)) {
    throw new ConfigError(`SITE_LANGUAGE must be a language tag such as en or en-GB, got "${siteLanguage}"`);
  }
  const siteName = (env.SITE_NAME || "newsgraph").trim();
  if (!siteName || siteName.length > 100) throw new ConfigError("SITE_NAME must hold 1 to 100 characters");
  return {
    siteUrl,
    siteName,
    siteLanguage,
    articleUrlPattern,
    feedContent: oneOf(env, "FEED_CONTENT", ["full", "summary"] as const, "full"),
    feedSize: int(env, "FEED_SIZE", 20, 1, 100),
    sitemapPageSize: int(env, "SITEMAP_PAGE_SIZE", 10_000, 100, 50_000),
  };
}

export function imageConfig(env: Env): ImageConfig {
  const storage = oneOf(env, "IMAGE_STORAGE", ["local", "s3"] as const, "local");
  const bucket = env.S3_BUCKET ?? "";
  if (storage === "s3" && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new ConfigError(
      `S3_BUCKET must name a bucket (3 to 63 lowercase letters, digits, "." and "-") with IMAGE_STORAGE=s3`,
    );
  }
  const endpoint = env.S3_ENDPOINT || undefined;
  if (endpoint !== undefined && !/^https?:\/\/[^/]/.test(endpoint)) {
    throw new ConfigError(`S3_ENDPOINT must be an http(s) URL, got "${endpoint}"`);
  }
  const accessKeyId = env.S3_ACCESS_KEY_ID || undefined;
  const secretAccessKey = env.S3_SECRET_ACCESS_KEY || undefined;
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new ConfigError("S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together (or neither: the AWS default chain)");
  }
  const baseUrl = (env.IMAGE_BASE_URL ?? "").replace(/\/+$/, "");
  if (baseUrl !== "" && !/^https?:\/\/[^/]/.test(baseUrl)) {
    throw new ConfigError(`IMAGE_BASE_URL must be an http(s) URL, got "${env.IMAGE_BASE_URL}"`);
  }
  const dataDir = env.DATA_DIR || "./data";
  return {
    maxBytes: int(env, "IMAGE_MAX_BYTES", 20 * 1024 * 1024, 1024),
    maxPixels: int(env, "IMAGE_MAX_PIXELS", 100_000_000, 1),
    baseUrl,
    storage,
    // A throwaway database (memory://) gets throwaway images.
    dir: env.IMAGE_DIR || join(dataDir.startsWith("memory://") ? join(tmpdir(), "newsgraph") : dataDir, "images"),
    s3: {
      bucket,
      region: env.S3_REGION || "us-east-1",
      endpoint,
      forcePathStyle: bool(env, "S3_FORCE_PATH_STYLE", false),
      accessKeyId,
      secretAccessKey,
      prefix: env.S3_PREFIX ?? "images/",
    },
  };
}

export function webhookSettings(env: Env): WebhookSettings {
  const timeoutMs = int(env, "WEBHOOK_TIMEOUT_MS", 10_000, 100, 600_000);
  const leaseMs = int(env, "WEBHOOK_LEASE_MS", 60_000, 1000, 3_600_000);
  if (leaseMs < 2 * timeoutMs) {
    throw new ConfigError(
      `WEBHOOK_LEASE_MS must be at least twice WEBHOOK_TIMEOUT_MS (${2 * timeoutMs}), got "${leaseMs}"`,
    );
  }
  const backoffBaseMs = int(env, "WEBHOOK_BACKOFF_BASE_MS", 10_000, 1, 86_400_000);
  const backoffMaxMs = int(env, "WEBHOOK_BACKOFF_MAX_MS", 3_600_000, 1, 86_400_000);
  if (backoffMaxMs < backoffBaseMs) {
    throw new ConfigError(`WEBHOOK_BACKOFF_MAX_MS must be at least WEBHOOK_BACKOFF_BASE_MS, got "${backoffMaxMs}"`);
  }
  return {
    allowPrivateTargets: bool(env, "WEBHOOK_ALLOW_PRIVATE_TARGETS", false),
    timeoutMs,
    leaseMs,
    pollMs: int(env, "WEBHOOK_POLL_MS", 1000, 0),
    batchSize: int(env, "WEBHOOK_BATCH_SIZE", 100, 1, 10_000),
    concurrency: int(env, "WEBHOOK_CONCURRENCY", 10, 1, 1000),
    backoffBaseMs,
    backoffMaxMs,
    retryWindowMs: int(env, "WEBHOOK_RETRY_WINDOW_MS", 86_400_000, 1),
  };
}
