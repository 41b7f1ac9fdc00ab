import { randomUUID } from 'node:crypto';
import {
  SignJWT,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  errors as joseErrors,
  type JWK,
} from 'jose';
import { GatewayErrors } from './errors.js';

/** The tools of one tool instance a run may call. */
export interface ToolGrant {
  /** The tool instance's id. */
  readonly instanceId: string;
  /** Names of the provider's tools the run may call on it (`execute_command`). */
  readonly tools: readonly string[];
}

/** What a run token allows: which run, for which incident, which tools, and the model. */
export interface RunTokenClaims {
  /** The run the token was issued for. */
  readonly runId: string;
  /** The incident the run investigates. */
  readonly incidentId: string;
  /** The tool instances and tools the run may use. Nothing else is listed or callable. */
  readonly grants: readonly ToolGrant[];
  /** Whether the token may call the model proxy. */
  readonly model: boolean;
  /**
   * An operator's token (minted through the API to point an MCP client at the gateway), tied
   * to no run: the gateway skips the run-is-active check for it. Never grants the model.
   */
  readonly operator: boolean;
  /** Unique id of this token. */
  readonly tokenId: string;
  /** When the token stops being accepted. */
  readonly expiresAt: Date;
}

/** A run token's key pair as JWKs: the API keeps the private key, the gateway the public one. */
export interface RunTokenKeys {
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

/** A key jose imported from a JWK. */
type VerificationKey = Awaited<ReturnType<typeof importJWK>>;

const ISSUER = 'akmatori';
const AUDIENCE = 'akmatori-gateway';
const ALGORITHM = 'EdDSA';
/** Tokens live at most a day; a run's deadline is far shorter. */
export const MAX_RUN_TOKEN_TTL_SECONDS = 86_400;

/**
 * Makes a new Ed25519 key pair for run tokens. Only the API signs; the gateway verifies with
 * the public key, so a compromised gateway cannot mint tokens.
 *
 * @example
 * ```ts
 * const keys = await createRunTokenKeys();
 * const signer = await RunTokenSigner.fromJwk(keys.privateJwk);
 * ```
 */
export async function createRunTokenKeys(): Promise<RunTokenKeys> {
  const { privateKey, publicKey } = await generateKeyPair(ALGORITHM, {
    crv: 'Ed25519',
    extractable: true,
  });
  return { privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) };
}

/** What {@link RunTokenSigner.sign} needs. */
export interface RunTokenRequest {
  readonly runId: string;
  readonly incidentId: string;
  readonly grants: readonly ToolGrant[];
  readonly model: boolean;
  readonly ttlSeconds: number;
  /** An operator's token tied to no run (see {@link RunTokenClaims.operator}); default false. */
  readonly operator?: boolean;
}

/**
 * Signs run tokens (EdDSA JWTs, audience `akmatori-gateway`).
 *
 * @example
 * ```ts
 * const token = await signer.sign({ runId, incidentId, grants: [], model: true, ttlSeconds: 600 });
 * ```
 */
export class RunTokenSigner {
  readonly #key: VerificationKey;
  readonly #now: () => Date;

  private constructor(key: VerificationKey, now: () => Date) {
    this.#key = key;
    this.#now = now;
  }

  /** A signer from the private JWK; `now` is the clock used for `iat` and `exp`. */
  static async fromJwk(
    privateJwk: JWK,
    now: () => Date = () => new Date(),
  ): Promise<RunTokenSigner> {
    return new RunTokenSigner(await importJWK(privateJwk, ALGORITHM), now);
  }

  /** Signs a token; returns it with its id and expiry. */
  async sign(
    request: RunTokenRequest,
  ): Promise<{ token: string; tokenId: string; expiresAt: Date }> {
    if (!Number.isInteger(request.ttlSeconds) || request.ttlSeconds < 1)
      throw new RangeError('ttlSeconds must be a positive integer');
    if (request.operator === true && request.model)
      throw new RangeError('an operator token cannot grant the model');
    const ttl = Math.min(request.ttlSeconds, MAX_RUN_TOKEN_TTL_SECONDS);
    const issuedAt = Math.floor(this.#now().getTime() / 1000);
    const tokenId = randomUUID();
    const token = await new SignJWT({
      inc: request.incidentId,
      grants: request.grants.map((grant) => ({ i: grant.instanceId, t: [...grant.tools] })),
      mdl: request.model,
      ...(request.operator === true ? { op: true } : {}),
    })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(request.runId)
      .setJti(tokenId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + ttl)
      .sign(this.#key);
    return { token, tokenId, expiresAt: new Date((issuedAt + ttl) * 1000) };
  }
}

interface GrantClaim {
  i: unknown;
  t: unknown;
}

/**
 * Verifies run tokens with the public key. Throws `AKM_GATEWAY_TOKEN_EXPIRED` for an
 * expired token and `AKM_GATEWAY_TOKEN_INVALID` for anything else wrong.
 *
 * @example
 * ```ts
 * const verifier = await RunTokenVerifier.fromJwk(keys.publicJwk);
 * const claims = await verifier.verify(token);
 * ```
 */
export class RunTokenVerifier {
  readonly #key: VerificationKey;
  readonly #now: () => Date;

  private constructor(key: VerificationKey, now: () => Date) {
    this.#key = key;
    this.#now = now;
  }

  /** A verifier from the public JWK; `now` is the clock expiry is checked against. */
  static async fromJwk(
    publicJwk: JWK,
    now: () => Date = () => new Date(),
  ): Promise<RunTokenVerifier> {
    return new RunTokenVerifier(await importJWK(publicJwk, ALGORITHM), now);
  }

  /** The claims of a valid token. */
  async verify(token: string): Promise<RunTokenClaims> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.#key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: [ALGORITHM],
        currentDate: this.#now(),
        requiredClaims: ['sub', 'jti', 'exp', 'inc', 'grants'],
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw GatewayErrors.AKM_GATEWAY_TOKEN_EXPIRED();
      const reason =
        error instanceof joseErrors.JOSEError ? error.code : 'not a token this gateway accepts';
      throw GatewayErrors.AKM_GATEWAY_TOKEN_INVALID({ reason });
    }
    const grants = payload.grants;
    if (typeof payload.inc !== 'string' || !Array.isArray(grants) || !grants.every(isGrantClaim))
      throw GatewayErrors.AKM_GATEWAY_TOKEN_INVALID({ reason: 'malformed claims' });
    return {
      runId: payload.sub as string,
      incidentId: payload.inc,
      grants: grants.map((grant) => ({ instanceId: grant.i, tools: grant.t })),
      model: payload.mdl === true && payload.op !== true,
      operator: payload.op === true,
      tokenId: payload.jti as string,
      expiresAt: new Date((payload.exp as number) * 1000),
    };
  }
}

function isGrantClaim(value: unknown): value is { i: string; t: string[] } {
  if (value === null || typeof value !== 'object') return false;
  const grant = value as GrantClaim;
  return (
    typeof grant.i === 'string' &&
    Array.isArray(grant.t) &&
    grant.t.every((name) => typeof name === 'string')
  );
}
