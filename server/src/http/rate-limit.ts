import { createHash } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { RateLimitConfig } from '../config.js';
import type { Clock } from '../domain/viewer.js';
import { AppError } from '../errors.js';
import type { Store } from '../store/port.js';

/**
 * Fixed-window rate limits, counted in the store's `counters` collection so that every
 * server instance behind a load balancer shares one count (MongoDB in production; the
 * memory store keeps them in process). Subjects — addresses, tokens, API keys — are
 * hashed before they become counter ids, so no credential is ever written to the store.
 */

export type RateLimitName = 'exchange-address' | 'exchange-token' | 'render-token' | 'api-key' | 'sign-in-address';

export interface RateLimitPolicy {
  name: RateLimitName;
  /** Operations allowed per window. */
  limit: number;
  windowSeconds: number;
}

/** Where a subject stands in its current window. */
export interface RateLimitState {
  policy: RateLimitPolicy;
  remaining: number;
  /** Seconds until the window ends (at least 1). */
  resetSeconds: number;
}

/** An operation over its limit: served as 429 with Retry-After and the RateLimit fields. */
export class RateLimitedError extends AppError {
  constructor(readonly state: RateLimitState) {
    super(
      'RATE_LIMITED',
      `Too many requests: the limit is ${state.policy.limit} per ${state.policy.windowSeconds} s (${state.policy.name}). Retry in ${state.resetSeconds} s.`,
    );
  }
}

/** A stable, non-reversible name for a subject (a token or key never becomes a counter id). */
/** The address a request came from (behind a proxy, as `trust proxy` allows), for per-address limits. */
export const clientAddress = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';

export const subjectDigest = (subject: string): string => createHash('sha256').update(subject).digest('base64url').slice(0, 32);

/**
 * The response fields for a limited answer, following draft-ietf-httpapi-ratelimit-headers
 * (`RateLimit-Policy: "name";q=…;w=…` and `RateLimit: "name";r=…;t=…`) plus Retry-After.
 */
export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  const { name, limit, windowSeconds } = state.policy;
  return {
    'Retry-After': String(state.resetSeconds),
    'RateLimit-Policy': `"${name}";q=${limit};w=${windowSeconds}`,
    RateLimit: `"${name}";r=${state.remaining};t=${state.resetSeconds}`,
  };
}

/** Of several limited answers, the one to report: the one that lasts longest. */
export const longestWait = (states: readonly RateLimitState[]): RateLimitState | undefined =>
  states.reduce<RateLimitState | undefined>((worst, state) => (!worst || state.resetSeconds > worst.resetSeconds ? state : worst), undefined);

export class RateLimiter {
  readonly policies: Readonly<Record<RateLimitName, RateLimitPolicy>>;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    config: RateLimitConfig,
  ) {
    const policy = (name: RateLimitName, limit: number): RateLimitPolicy => ({ name, limit, windowSeconds: config.windowSeconds });
    this.policies = {
      'exchange-address': policy('exchange-address', config.exchangePerAddress),
      'exchange-token': policy('exchange-token', config.exchangePerToken),
      'render-token': policy('render-token', config.renderPerToken),
      'api-key': policy('api-key', config.apiPerKey),
      'sign-in-address': policy('sign-in-address', config.signInPerAddress),
    };
  }

  /**
   * Counts one operation of `subject` under the named policy; throws `RateLimitedError`
   * once the window's count passes the limit. A store outage surfaces as itself (503).
   */
  async take(name: RateLimitName, subject: string): Promise<RateLimitState> {
    const policy = this.policies[name];
    const windowMs = policy.windowSeconds * 1000;
    const now = this.clock.now().getTime();
    const window = Math.floor(now / windowMs);
    const endsAt = (window + 1) * windowMs;
    const counter = await this.store.counters.upsertIncrement(`rl:${name}:${window}:${subjectDigest(subject)}`, 'count', 1, {
      // Kept one extra window so the TTL sweep never races a window still being counted.
      expiresAt: new Date(endsAt + windowMs),
    });
    const state: RateLimitState = {
      policy,
      remaining: Math.max(0, policy.limit - counter.count),
      resetSeconds: Math.max(1, Math.ceil((endsAt - now) / 1000)),
    };
    if (counter.count > policy.limit) throw new RateLimitedError(state);
    return state;
  }
}

/** Sends a REST 429 in the routes' error shape, with the rate-limit fields. */
export function sendRateLimited(res: Response, error: RateLimitedError): void {
  res
    .status(429)
    .set(rateLimitHeaders(error.state))
    .json({ error: { code: error.code, message: error.message } });
}

/**
 * Limits the REST token exchange (`POST /api/validate-embed-token`) per client address and
 * per embed token, before any verification work is done. Needs a parsed JSON body.
 */
export function exchangeRateLimit(limiter: RateLimiter, onError: (error: unknown, res: Response) => void): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      await limiter.take('exchange-address', clientAddress(req));
      const token = (req.body as { embed_token?: unknown } | undefined)?.embed_token;
      if (typeof token === 'string') await limiter.take('exchange-token', token);
      next();
    } catch (error) {
      if (error instanceof RateLimitedError) sendRateLimited(res, error);
      else onError(error, res);
    }
  };
}
