import { createHash } from "node:crypto";
import { type AccountInput, AccountRegistry, type SimAccount } from "./accounts.ts";

export type ImageType = "System" | "App" | "Custom" | "Community";
export type ImageStatus = "Making" | "Available" | "UnAvailable" | "Reviewing" | "Offline";
export type InstanceState =
  | "Running"
  | "Stopped"
  | "Starting"
  | "Stopping"
  | "Rebooting"
  | "Initializing"
  | "Install Fail"
  | "Resizing"
  | "";

export interface Softwares {
  CUDAVersion: string;
  Framework: string;
  FrameworkVersion: string;
  Applications: string[];
}

/**
 * An image with the fields of the official SDKs' CompShareImage model (Go services/ucompshare
 * models.go, Python CompShareImageSchema); field names are the wire names. SupportedGpuTypes is
 * the simulator's own memory of what UpdateCompShareImage set: neither model has it, so no
 * Describe*Images answer carries it (see views.ts).
 */
export interface ImageRecord {
  CompShareImageId: string;
  Name: string;
  ImageType: ImageType;
  Author: string;
  Status: ImageStatus;
  Tags: string[];
  Description: string;
  Readme: string;
  Visibility: 0 | 1;
  /** Yuan per hour; absent on a private image nobody priced yet. */
  Price?: number;
  Cover: string;
  /** MB. */
  Size: number;
  /** Seconds since the epoch, as the API sends them. */
  CreateTime: number;
  PubTime: number;
  VersionName: string;
  VersionDesc: string;
  GroupId: string;
  AutoStart: boolean;
  Softwares: Softwares;
  Owner: { AccountId: string; AccountName: string };
  SourceGpuType: string;
  /** Sent on UpdateCompShareImage; enforced on reinstall (226603), never answered. */
  SupportedGpuTypes: string[];
  /** The author's verification level; 0 none. */
  AuthInfo: number;
  /** "True" for a container image, "False" for a VM image (the models type it as a string). */
  Container: "True" | "False";
  /** Instances created from the image. */
  CreatedCount: number;
  /** Why making the image failed; empty otherwise. */
  FailedReason: string;
  FavoritesCount: number;
  /** "Official" for platform images, "Community" for community ones; empty for custom images. */
  ImageOwnerAlias: "Official" | "Community" | "";
  /** Hours the image has been used. */
  ImageUseTime: number;
  /** Whether a custom image was made from an official one; only custom images answer it. */
  IsOfficial: boolean;
}

export interface InstanceRecord {
  UHostId: string;
  Name: string;
  State: InstanceState;
  GpuType: string;
  GPU: number;
  CPU: number;
  /** MB. */
  Memory: number;
  Zone: string;
  CompShareImageId: string;
  CompShareImageName: string;
  CreateTime: number;
  ExpireTime: number;
  ChargeType: string;
  /** The root password, Base64-encoded, as DescribeCompShareInstance returns it: a secret. */
  Password: string;
  /** e.g. `ssh -p 22 root@117.50.0.1`; returned beside the password. */
  SshLoginCommand: string;
}

export interface ReinstallRecord {
  UHostId: string;
  CompShareImageId: string;
  previousImageId: string;
  accountId: string;
  /** ms epoch, from the simulator's clock. */
  at: number;
}

/** The fields UpdateCompShareImage may change; absent ones stay as they are. */
export type ImagePatch = Partial<
  Pick<
    ImageRecord,
    | "Name"
    | "Description"
    | "Visibility"
    | "Price"
    | "Cover"
    | "Readme"
    | "Tags"
    | "GroupId"
    | "VersionName"
    | "VersionDesc"
    | "SupportedGpuTypes"
    | "AutoStart"
  >
>;

export type ImageFields = Partial<Omit<ImageRecord, "CompShareImageId" | "Owner">>;
export type InstanceFields = Partial<Omit<InstanceRecord, "UHostId">>;

/** Which images a Describe*Images action lists: the platform's, an account's own, or those shared with it. */
export type ImageScope =
  | { kind: "platform" }
  | { kind: "custom"; accountId: string }
  | { kind: "shared"; accountId: string };

export interface ImagePageQuery {
  /** Only this image (looked up, not searched for), when given. */
  imageId?: string;
  /** Sees the stored record itself, so it must only read it. */
  keep?: (image: Readonly<ImageRecord>) => boolean;
  offset: number;
  limit: number;
}

/** The vendor page: "同一实例的操作存在并发锁(10 分钟 TTL)". */
export const OPERATION_LOCK_MS = 10 * 60 * 1000;

/** What an instance can be busy with; each holds the instance's operation lock while it runs. */
export type OperationKind = "stop" | "start" | "reboot" | "reinstall" | "createImage";

/**
 * The state an instance shows while an operation runs and the one it lands in. The reinstall's
 * "Initializing" is a guess: the SDKs' State enum has no Reinstalling, and Initializing is the
 * one transitional state it lists that no other operation uses. A custom image is made from the
 * instance as it is, so createImage keeps the state (`undefined`).
 */
const TRANSITIONS: Record<OperationKind, { during?: InstanceState; landsIn?: InstanceState }> = {
  stop: { during: "Stopping", landsIn: "Stopped" },
  start: { during: "Starting", landsIn: "Running" },
  reboot: { during: "Rebooting", landsIn: "Running" },
  reinstall: { during: "Initializing", landsIn: "Stopped" },
  createImage: {},
};

/** An operation in progress on one instance, by the simulator's clock (ms epoch). */
export interface RunningOperation {
  kind: OperationKind;
  startedAt: number;
  endsAt: number;
  /** What the instance lands in: the normal end state, or "Install Fail" when a fault said so. */
  landsIn: InstanceState | undefined;
}

export interface ImageCreateProgress {
  /** 0 to 100. */
  process: number;
  remainingMs: number;
  totalMs: number;
}

export class UnknownEntityError extends Error {
  readonly code = "SIMULATOR_UNKNOWN_ENTITY";
  constructor(kind: "image" | "instance" | "account", id: string) {
    super(`no ${kind} ${id} in the simulator`);
    this.name = "UnknownEntityError";
  }
}

/**
 * The simulator's in-memory model. Reads return copies, so a caller cannot change the model
 * behind its back; changes go through the methods.
 *
 * For tests, to read and drive the model:
 *   addAccount(input?)                    a fresh account with no images or instances
 *   getImage(imageId)                     one image by id, any owner (undefined when unknown)
 *   listPlatformImages()                  the System and App images every account sees
 *   listCustomImages(accountId)           the images the account owns
 *   listSharedImages(accountId)           the images other accounts shared with it
 *   addCustomImage(accountId, fields?)    a new image owned by the account (Status defaults to Available)
 *   shareImage(imageId, accountId)        share an image with another account
 *   setImageStatus(imageId, status)       e.g. "Making" or "UnAvailable"
 *   getInstance(uhostId)                  one instance by id
 *   listInstances(accountId)              the account's instances
 *   instanceSecrets()                     every instance's password (Base64 and plain) and SSH command
 *   addInstance(accountId, fields?)       a new instance (State defaults to Stopped)
 *   setInstanceState(uhostId, state)      e.g. "Running" or "Install Fail"
 *   lastReinstall() / listReinstalls()    what ReinstallCompShareInstance applied, newest last
 *   deleteInstance(uhostId)               the instance is gone, as if deleted in the console
 *   runningOperation(uhostId)             the operation in progress on it, undefined when idle
 *   operationLockedUntil(uhostId)         ms epoch the per-instance lock ends, undefined when free
 *   clearOperationLock(uhostId)           end the lock now (the operation itself runs on)
 *
 * Operations take `operationMs` each and settle lazily: every read first lands those whose time
 * is up, so an injected clock drives them as well as the real one.
 */
export class SimulatorState {
  readonly #clock: () => number;
  readonly #accounts = new AccountRegistry();
  readonly #images = new Map<string, ImageRecord>();
  readonly #sharedWith = new Map<string, Set<string>>();
  /** Image ids by scope, in insertion order, so a page is found without scanning or copying the rest. */
  readonly #platformIds: string[] = [];
  readonly #ownedIds = new Map<string, string[]>();
  readonly #sharedIds = new Map<string, string[]>();
  readonly #insertionOrder = new Map<string, number>();
  readonly #instances = new Map<string, InstanceRecord>();
  readonly #instanceOwners = new Map<string, string>();
  readonly #lockedUntil = new Map<string, number>();
  readonly #operations = new Map<string, RunningOperation>();
  /** Every image made by CreateCompShareCustomImage, kept so its progress can be asked later. */
  readonly #imageCreations = new Map<string, { startedAt: number; endsAt: number; landed: boolean }>();
  readonly #reinstalls: ReinstallRecord[] = [];
  readonly #operationMs: number;
  #imageSequence = 0;
  #instanceSequence = 0;

  constructor(options: { clock: () => number; operationMs?: number }) {
    this.#clock = options.clock;
    this.#operationMs = options.operationMs ?? 0;
  }

  /** ms epoch from the injected clock. */
  now(): number {
    return this.#clock();
  }

  addAccount(input?: AccountInput): SimAccount {
    return this.#accounts.add(input);
  }

  findAccountByPublicKey(publicKey: string): SimAccount | undefined {
    const account = this.#accounts.byPublicKey(publicKey);
    return account === undefined ? undefined : { ...account };
  }

  getImage(imageId: string): ImageRecord | undefined {
    this.#settle();
    const image = this.#images.get(imageId);
    return image === undefined ? undefined : structuredClone(image);
  }

  listPlatformImages(): ImageRecord[] {
    return this.#copies(this.#platformIds);
  }

  listCustomImages(accountId: string): ImageRecord[] {
    return this.#copies(this.#ownedIds.get(accountId) ?? []);
  }

  listSharedImages(accountId: string): ImageRecord[] {
    return this.#copies(this.#sharedIds.get(accountId) ?? []);
  }

  /**
   * One page of a scope: how many images match, and copies of only those on the page. Its cost
   * grows with the page (and with the scope only when `keep` has to look at every image), never
   * with copying a catalogue nobody asked for.
   */
  pageOfImages(scope: ImageScope, query: ImagePageQuery): { total: number; images: ImageRecord[] } {
    return this.pageOfImageViews(scope, query, copyOf);
  }

  /**
   * The same page, each image handed to `view` as the stored record itself, so an answer is built
   * straight from the model with no copy in between; `view` must only read it, and whatever it
   * returns must not share the record's arrays or objects (copyOf them).
   */
  pageOfImageViews<T>(
    scope: ImageScope,
    query: ImagePageQuery,
    view: (image: Readonly<ImageRecord>) => T,
  ): { total: number; images: T[] } {
    this.#settle();
    const ids = query.imageId === undefined ? this.#scopeIds(scope) : this.#inScope(scope, query.imageId);
    const end = query.offset + query.limit;
    const record = (id: string) => this.#images.get(id) as ImageRecord;
    if (query.keep === undefined) {
      return { total: ids.length, images: ids.slice(query.offset, end).map((id) => view(record(id))) };
    }
    const images: T[] = [];
    let total = 0;
    for (const id of ids) {
      const image = record(id);
      if (!query.keep(image)) continue;
      if (total >= query.offset && total < end) images.push(view(image));
      total += 1;
    }
    return { total, images };
  }

  isSharedWith(imageId: string, accountId: string): boolean {
    return this.#sharedWith.get(imageId)?.has(accountId) === true;
  }

  /** Used by the demo data; platform images belong to no simulator account. */
  addPlatformImage(fields: ImageFields & Pick<ImageRecord, "Name" | "Owner">): ImageRecord {
    const { Owner, ...rest } = fields;
    return this.#insertImage({
      ...this.#imageDefaults(Owner),
      ImageType: "System",
      Visibility: 1,
      ImageOwnerAlias: "Official",
      ...definedOnly(rest),
    });
  }

  addCustomImage(accountId: string, fields: ImageFields = {}): ImageRecord {
    const account = this.#accounts.byId(accountId);
    if (account === undefined) throw new UnknownEntityError("account", accountId);
    const owner = { AccountId: account.accountId, AccountName: account.accountName };
    return this.#insertImage({ ...this.#imageDefaults(owner), ...definedOnly(fields) });
  }

  shareImage(imageId: string, accountId: string): void {
    this.#requireImage(imageId);
    if (this.#accounts.byId(accountId) === undefined) throw new UnknownEntityError("account", accountId);
    const accounts = this.#sharedWith.get(imageId) ?? new Set<string>();
    if (accounts.has(accountId)) return;
    accounts.add(accountId);
    this.#sharedWith.set(imageId, accounts);
    const shared = this.#sharedIds.get(accountId) ?? [];
    shared.push(imageId);
    const order = (id: string) => this.#insertionOrder.get(id) ?? 0;
    shared.sort((a, b) => order(a) - order(b));
    this.#sharedIds.set(accountId, shared);
  }

  setImageStatus(imageId: string, status: ImageStatus): void {
    this.#requireImage(imageId).Status = status;
  }

  updateImage(imageId: string, patch: ImagePatch): ImageRecord {
    const image = this.#requireImage(imageId);
    for (const [field, value] of Object.entries(patch)) {
      if (value !== undefined) Object.assign(image, { [field]: structuredClone(value) });
    }
    if (patch.Visibility === 1 && image.PubTime === 0) image.PubTime = Math.floor(this.now() / 1000);
    return structuredClone(image);
  }

  getInstance(uhostId: string): InstanceRecord | undefined {
    this.#settle();
    const instance = this.#instances.get(uhostId);
    return instance === undefined ? undefined : { ...instance };
  }

  instanceOwner(uhostId: string): string | undefined {
    return this.#instanceOwners.get(uhostId);
  }

  /** Every instance's password (Base64 and decoded) and SSH command: what leak scans look for. */
  instanceSecrets(): string[] {
    return [...this.#instances.values()].flatMap((instance) => [
      instance.Password,
      Buffer.from(instance.Password, "base64").toString("utf8"),
      instance.SshLoginCommand,
    ]);
  }

  listInstances(accountId: string): InstanceRecord[] {
    this.#settle();
    const out: InstanceRecord[] = [];
    for (const [id, instance] of this.#instances) {
      if (this.#instanceOwners.get(id) === accountId) out.push({ ...instance });
    }
    return out;
  }

  addInstance(accountId: string, fields: InstanceFields = {}): InstanceRecord {
    if (this.#accounts.byId(accountId) === undefined) throw new UnknownEntityError("account", accountId);
    const sequence = this.#instanceSequence++;
    const imageId = fields.CompShareImageId ?? this.#images.keys().next().value ?? "";
    const instance: InstanceRecord = {
      UHostId: `uhost-${shortHash(`instance-${sequence}`, 8)}`,
      Name: `instance-${sequence + 1}`,
      State: "Stopped",
      GpuType: "4090",
      GPU: 1,
      CPU: 16,
      Memory: 65_536,
      Zone: "cn-wlcb-01",
      CompShareImageId: imageId,
      CompShareImageName: this.#images.get(imageId)?.Name ?? "",
      CreateTime: Math.floor(this.now() / 1000),
      ExpireTime: 0,
      ChargeType: "Dynamic",
      Password: Buffer.from(`Pw-${shortHash(`password-${sequence}`, 16)}`).toString("base64"),
      SshLoginCommand: `ssh -p 22 root@117.50.${Math.floor(sequence / 250) % 250}.${(sequence % 250) + 1}`,
      ...definedOnly(fields),
    };
    this.#instances.set(instance.UHostId, instance);
    this.#instanceOwners.set(instance.UHostId, accountId);
    return { ...instance };
  }

  /** A test's word is final: an operation still running on the instance is dropped with its lock. */
  setInstanceState(uhostId: string, state: InstanceState): void {
    this.#requireInstance(uhostId).State = state;
    this.#operations.delete(uhostId);
    this.#lockedUntil.delete(uhostId);
  }

  deleteInstance(uhostId: string): void {
    this.#requireInstance(uhostId);
    this.#instances.delete(uhostId);
    this.#instanceOwners.delete(uhostId);
    this.#operations.delete(uhostId);
    this.#lockedUntil.delete(uhostId);
  }

  runningOperation(uhostId: string): RunningOperation | undefined {
    this.#settle();
    const operation = this.#operations.get(uhostId);
    return operation === undefined ? undefined : { ...operation };
  }

  /**
   * Starts an operation the handler has checked: the instance shows the transitional state at
   * once and lands when `operationMs` is up; the lock is held until then, 10 minutes at most.
   */
  startOperation(uhostId: string, kind: OperationKind, options: { fails?: boolean } = {}): void {
    const instance = this.#requireInstance(uhostId);
    const startedAt = this.now();
    const transition = TRANSITIONS[kind];
    const operation: RunningOperation = {
      kind,
      startedAt,
      endsAt: startedAt + this.#operationMs,
      landsIn: options.fails === true ? "Install Fail" : transition.landsIn,
    };
    if (transition.during !== undefined) instance.State = transition.during;
    this.#operations.set(uhostId, operation);
    const lockEnds = Math.min(operation.endsAt, startedAt + OPERATION_LOCK_MS);
    if (lockEnds > startedAt) this.#lockedUntil.set(uhostId, lockEnds);
    this.#settle();
  }

  operationLockedUntil(uhostId: string): number | undefined {
    this.#settle();
    const until = this.#lockedUntil.get(uhostId);
    return until !== undefined && this.now() < until ? until : undefined;
  }

  clearOperationLock(uhostId: string): void {
    this.#lockedUntil.delete(uhostId);
  }

  /**
   * Applies a reinstall the handler has already checked and starts its operation. The image id
   * and name change at once, while the state stays transitional until the reinstall lands (a
   * guess: the real API does not say when DescribeCompShareInstance shows the new image).
   */
  reinstall(uhostId: string, imageId: string, accountId: string, options: { fails?: boolean } = {}): ReinstallRecord {
    const instance = this.#requireInstance(uhostId);
    const image = this.#requireImage(imageId);
    const at = this.now();
    const record: ReinstallRecord = {
      UHostId: uhostId,
      CompShareImageId: imageId,
      previousImageId: instance.CompShareImageId,
      accountId,
      at,
    };
    instance.CompShareImageId = image.CompShareImageId;
    instance.CompShareImageName = image.Name;
    this.#reinstalls.push(record);
    this.startOperation(uhostId, "reinstall", options);
    return { ...record };
  }

  /**
   * A custom image of the instance, owned by the account, "Making" until its operation ends and
   * "Available" after. Its software list is the instance's current image's unless given.
   */
  createCustomImage(
    uhostId: string,
    accountId: string,
    fields: Pick<ImageRecord, "Name" | "Description"> & { Softwares?: Softwares | undefined },
  ): ImageRecord {
    const instance = this.#requireInstance(uhostId);
    const source = this.#images.get(instance.CompShareImageId);
    const image = this.addCustomImage(accountId, {
      Name: fields.Name,
      Description: fields.Description,
      Status: "Making",
      SourceGpuType: instance.GpuType,
      Softwares: fields.Softwares ?? (source === undefined ? undefined : structuredClone(source.Softwares)),
    });
    const startedAt = this.now();
    this.#imageCreations.set(image.CompShareImageId, {
      startedAt,
      endsAt: startedAt + this.#operationMs,
      landed: false,
    });
    this.startOperation(uhostId, "createImage");
    return this.getImage(image.CompShareImageId) ?? image;
  }

  /**
   * How far the image's creation has got. An image this simulator did not make is at 100 when
   * Available and at 0 otherwise (the demo's Making image stays Making).
   */
  imageCreateProgress(imageId: string): ImageCreateProgress {
    const image = this.#requireImage(imageId);
    const creation = this.#imageCreations.get(imageId);
    if (creation === undefined) {
      return { process: image.Status === "Available" ? 100 : 0, remainingMs: 0, totalMs: 0 };
    }
    const totalMs = creation.endsAt - creation.startedAt;
    const elapsed = Math.min(Math.max(this.now() - creation.startedAt, 0), totalMs);
    return {
      process: totalMs === 0 ? 100 : Math.floor((elapsed / totalMs) * 100),
      remainingMs: totalMs - elapsed,
      totalMs,
    };
  }

  /**
   * Lands every operation whose time is up. An image's creation finishes on its own clock, so
   * deleting the instance or forcing its state does not leave the image Making for ever.
   */
  #settle(): void {
    const now = this.now();
    for (const [uhostId, operation] of this.#operations) {
      if (operation.endsAt > now) continue;
      this.#operations.delete(uhostId);
      this.#lockedUntil.delete(uhostId);
      const instance = this.#instances.get(uhostId);
      if (instance !== undefined && operation.landsIn !== undefined) instance.State = operation.landsIn;
    }
    for (const [imageId, creation] of this.#imageCreations) {
      if (creation.landed || creation.endsAt > now) continue;
      creation.landed = true;
      const image = this.#images.get(imageId);
      if (image?.Status === "Making") image.Status = "Available";
    }
  }

  lastReinstall(): ReinstallRecord | undefined {
    const last = this.#reinstalls.at(-1);
    return last === undefined ? undefined : { ...last };
  }

  listReinstalls(): ReinstallRecord[] {
    return this.#reinstalls.map((record) => ({ ...record }));
  }

  #copies(ids: readonly string[]): ImageRecord[] {
    this.#settle();
    return ids.map((id) => copyOf(this.#images.get(id) as ImageRecord));
  }

  #scopeIds(scope: ImageScope): readonly string[] {
    if (scope.kind === "platform") return this.#platformIds;
    return (scope.kind === "custom" ? this.#ownedIds : this.#sharedIds).get(scope.accountId) ?? [];
  }

  /** The image's id alone when it exists and belongs to the scope; nothing otherwise. */
  #inScope(scope: ImageScope, imageId: string): string[] {
    const image = this.#images.get(imageId);
    if (image === undefined) return [];
    const belongs =
      scope.kind === "platform"
        ? isPlatformImage(image)
        : scope.kind === "custom"
          ? !isPlatformImage(image) && image.Owner.AccountId === scope.accountId
          : this.isSharedWith(imageId, scope.accountId);
    return belongs ? [imageId] : [];
  }

  #requireImage(imageId: string): ImageRecord {
    const image = this.#images.get(imageId);
    if (image === undefined) throw new UnknownEntityError("image", imageId);
    return image;
  }

  #requireInstance(uhostId: string): InstanceRecord {
    const instance = this.#instances.get(uhostId);
    if (instance === undefined) throw new UnknownEntityError("instance", uhostId);
    return instance;
  }

  #insertImage(image: ImageRecord): ImageRecord {
    const id = image.CompShareImageId;
    this.#images.set(id, image);
    this.#insertionOrder.set(id, this.#insertionOrder.size);
    if (isPlatformImage(image)) this.#platformIds.push(id);
    else {
      const owned = this.#ownedIds.get(image.Owner.AccountId) ?? [];
      owned.push(id);
      this.#ownedIds.set(image.Owner.AccountId, owned);
    }
    return structuredClone(image);
  }

  #imageDefaults(owner: ImageRecord["Owner"]): ImageRecord {
    const sequence = this.#imageSequence++;
    return {
      CompShareImageId: `compshareImage-${shortHash(`image-${sequence}`, 10)}`,
      Name: `image-${sequence + 1}`,
      ImageType: "Custom",
      Author: owner.AccountName,
      Status: "Available",
      Tags: [],
      Description: "",
      Readme: "",
      Visibility: 0,
      Cover: "",
      Size: 30_720,
      CreateTime: Math.floor(this.now() / 1000),
      PubTime: 0,
      VersionName: "v1",
      VersionDesc: "",
      GroupId: `group-${shortHash(`group-${sequence}`, 8)}`,
      AutoStart: false,
      Softwares: { CUDAVersion: "12.4", Framework: "PyTorch", FrameworkVersion: "2.4.0", Applications: [] },
      Owner: { ...owner },
      SourceGpuType: "4090",
      SupportedGpuTypes: [],
      AuthInfo: 0,
      Container: "False",
      CreatedCount: 0,
      FailedReason: "",
      FavoritesCount: 0,
      ImageOwnerAlias: "",
      ImageUseTime: 0,
      IsOfficial: false,
    };
  }
}

export function isPlatformImage(image: Pick<ImageRecord, "ImageType">): boolean {
  return image.ImageType === "System" || image.ImageType === "App";
}

/**
 * A deep copy of plain JSON-like data (records hold nothing else). Several times cheaper than
 * structuredClone for an image, which goes through the serializer; a page of images is copied
 * on every Describe*Images call, where that was a fifth of the simulator's time.
 */
export function copyOf<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyOf) as T;
  if (value === null || typeof value !== "object") return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  // Records are plain objects: for-in sees their own fields only, without the array Object.entries builds.
  for (const key in source) out[key] = copyOf(source[key]);
  return out as T;
}

/** A field passed as undefined means "use the default", not "erase it". */
function definedOnly<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** Deterministic ids: the same model built twice gets the same ids. */
function shortHash(text: string, length: number): string {
  return createHash("sha1").update(text).digest("hex").slice(0, length);
}
