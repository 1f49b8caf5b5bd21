// A client of `tally serve` for Node game servers: openapi-fetch over the types generated from the server's
// OpenAPI document, plus what a game server needs on top: typed problems, safe retries (one transaction_id per
// payment, so a retry never pays twice), If-Match read-change-retry, and proofs checked on this side.
import createClient, { type Client } from "openapi-fetch";
import { randomUUID } from "node:crypto";
import type { components, paths } from "./schema.js";
import { checkInclusion, type InclusionProofDocument, type VerifiedInclusion } from "./proof.js";

export { checkInclusion, ProofRejected, rootFromInclusionProof } from "./proof.js";
export type { InclusionProofDocument, VerifiedInclusion } from "./proof.js";
export type { components, paths } from "./schema.js";

export type Account = components["schemas"]["Account"];
export type Entry = components["schemas"]["Entry"];
export type Transfer = components["schemas"]["Transfer"];
/** A transfer to send: `type` defaults to TRANSFER, `transaction_id` to a new random one. */
export type TransferInput = Omit<Transfer, "type" | "transaction_id"> & Partial<Pick<Transfer, "type" | "transaction_id">>;
export type Problem = components["schemas"]["Problem"];

/** The server refused the request (nothing was written): its problem, with the stable `code` to switch on. */
export class TallyProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly field?: string;
  readonly problem: Problem;
  constructor(status: number, problem: Problem) {
    super(`${status} ${problem.code}: ${problem.detail ?? problem.title}`);
    this.name = "TallyProblem";
    this.status = status;
    this.code = problem.code;
    this.field = problem.field;
    this.problem = problem;
  }
}

export type HeldAnswer = components["schemas"]["Held"];

/**
 * A money movement's answer: the entry, and whether this call wrote it, an earlier one did (a replay), or a fraud
 * rule held the payment pending review ("held": the entry is the pending transfer it became, nothing reached the
 * receiver yet, and `hold` says which rule, which fraud event and until when).
 */
export interface Written {
  entry: Entry;
  outcome: "created" | "replayed" | "held";
  hold?: { rule: string; fraud_event_id: number | null; expires_at: string; message: string };
}

export interface TallyClientOptions {
  /** Such as http://localhost:8080. */
  baseUrl: string;
  apiKey: string;
  /** How long one attempt may take (default 10 000 ms); a movement that timed out is sent again. */
  timeoutMs?: number;
  /** How many times a retryable request is sent at most (default 4). */
  attempts?: number;
  /** The first pause between attempts, doubling (default 100 ms). */
  backoffMs?: number;
}

/** 503 codes that say the request was not done and may be sent again. */
const RETRYABLE = new Set(["SHUTTING_DOWN", "STORE_UNAVAILABLE", "LEDGER_HALTED"]);

type Answer<T> = { data?: T; error?: unknown; response: Response };

export class TallyClient {
  /** The generated, typed client, for every operation of the document. */
  readonly api: Client<paths>;
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly backoffMs: number;

  constructor(options: TallyClientOptions) {
    this.api = createClient<paths>({
      baseUrl: options.baseUrl.replace(/\/+$/, ""),
      headers: { Authorization: `Bearer ${options.apiKey}` },
    });
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.attempts = options.attempts ?? 4;
    this.backoffMs = options.backoffMs ?? 100;
  }

  /** Opens a USER account. Not retried: a retry after a lost answer could meet its own account (409). */
  async createAccount(username: string, email: string): Promise<Account> {
    return (await this.call(false, (signal) => this.api.POST("/v1/accounts", { body: { username, email }, signal })))
      .data;
  }

  async account(idOrUsername: string): Promise<Account> {
    return (
      await this.call(true, (signal) =>
        this.api.GET("/v1/accounts/{id}", { params: { path: { id: idOrUsername } }, signal }),
      )
    ).data;
  }

  /**
   * Changes an account's e-mail with optimistic concurrency: reads it, computes the new e-mail, sends it with the
   * version read in If-Match, and on 412 (another writer came first) reads again and recomputes.
   */
  async changeEmail(
    idOrUsername: string,
    change: (current: Account) => string | Promise<string>,
  ): Promise<Account> {
    let last: unknown;
    for (let attempt = 0; attempt < this.attempts; attempt++) {
      const current = await this.account(idOrUsername);
      const email = await change(current);
      try {
        return (
          await this.call(false, (signal) =>
            this.api.PATCH("/v1/accounts/{id}", {
              params: { path: { id: current.id! }, header: { "If-Match": `"${current.version}"` } },
              body: { email },
              signal,
            }),
          )
        ).data;
      } catch (e) {
        if (!(e instanceof TallyProblem) || e.status !== 412) throw e;
        last = e;
      }
    }
    throw last;
  }

  async history(idOrUsername: string, direction: "sent" | "received" | "all" = "all", limit = 50): Promise<Entry[]> {
    const page = await this.call(true, (signal) =>
      this.api.GET("/v1/accounts/{id}/history", {
        params: { path: { id: idOrUsername }, query: { direction, limit } },
        signal,
      }),
    );
    return page.data.entries ?? [];
  }

  /**
   * Sends a transfer (TRANSFER, PURCHASE or INCOME). Without a transaction_id it gets a new one, kept for every
   * retry of this call: after a timeout or a dropped connection the server answers the retry with the entry it
   * wrote, so the payment is made once. `outcome` says which answer this was.
   */
  async transfer(transfer: TransferInput): Promise<Written> {
    const body: Transfer = {
      ...transfer,
      type: transfer.type ?? "TRANSFER",
      transaction_id: transfer.transaction_id ?? `tx-${randomUUID()}`,
    };
    return this.written(await this.call(true, (signal) => this.api.POST("/v1/transfers", { body, signal })));
  }

  /** Creates money in an account (admin key), retried safely under `transactionId`. */
  async mint(transactionId: string, receiver: string, currency: string, amount: string): Promise<Written> {
    const body = { transaction_id: transactionId, receiver_id: receiver, currency, amount };
    return this.written(await this.call(true, (signal) => this.api.POST("/v1/mint", { body, signal })));
  }

  async transaction(transactionId: string): Promise<Entry> {
    return (
      await this.call(true, (signal) =>
        this.api.GET("/v1/transactions/{id}", { params: { path: { id: transactionId } }, signal }),
      )
    ).data;
  }

  /** Creates an API key (admin key) and returns its secret, shown in this answer only. */
  async createApiKey(name: string, role: "admin" | "service" | "auditor"): Promise<string> {
    const key = await this.call(false, (signal) => this.api.POST("/v1/admin/api-keys", { body: { name, role }, signal }));
    return (key.data as { secret?: string }).secret ?? "";
  }

  async inclusionProof(transactionId: string): Promise<InclusionProofDocument> {
    const answer = await this.call(true, (signal) =>
      this.api.GET("/v1/audit/proofs/inclusion/{id}", { params: { path: { id: transactionId } }, signal }),
    );
    return answer.data as InclusionProofDocument;
  }

  /**
   * Fetches a transaction and its inclusion proof and checks, here, that the entry is in the log whose checkpoint
   * the pinned key signed (`verifierKey`: checkpoint.pub from `tally keygen`, never taken from the server).
   * Throws ProofRejected when it is not.
   */
  async verifyInclusion(transactionId: string, verifierKey: string): Promise<VerifiedInclusion> {
    const entry = await this.transaction(transactionId);
    return checkInclusion(await this.inclusionProof(transactionId), entry, verifierKey);
  }

  private written(answer: { data: Entry | HeldAnswer; response: Response }): Written {
    const data = answer.data;
    if (answer.response.status === 202 && "outcome" in data && data.outcome === "held") {
      const { rule, fraud_event_id, expires_at, message } = data;
      return { entry: data.entry, outcome: "held", hold: { rule, fraud_event_id, expires_at, message } };
    }
    return { entry: data as Entry, outcome: answer.response.status === 201 ? "created" : "replayed" };
  }

  /** Sends, and sends again after a network failure, a timeout or a retryable 503 when `retry`. */
  private async call<T>(
    retry: boolean,
    send: (signal: AbortSignal) => Promise<Answer<T>>,
  ): Promise<{ data: T; response: Response }> {
    const tries = retry ? this.attempts : 1;
    let last: unknown;
    for (let attempt = 1; attempt <= tries; attempt++) {
      if (attempt > 1) await new Promise((r) => setTimeout(r, this.backoffMs * 2 ** Math.min(attempt - 2, 6)));
      let answer: Answer<T>;
      try {
        answer = await send(AbortSignal.timeout(this.timeoutMs));
      } catch (e) {
        last = e; // the network failed or the attempt timed out: the server may or may not have done it
        continue;
      }
      if (answer.response.ok) return { data: answer.data as T, response: answer.response };
      const problem = new TallyProblem(answer.response.status, toProblem(answer.error, answer.response.status));
      if (problem.status === 503 && RETRYABLE.has(problem.code)) {
        last = problem;
        continue;
      }
      throw problem;
    }
    throw last;
  }
}

function toProblem(error: unknown, status: number): Problem {
  if (error && typeof error === "object") return error as Problem;
  return { type: "about:blank", title: `HTTP ${status}`, status, code: `HTTP_${status}`, detail: String(error ?? "") };
}
