import type { ImageStatus, ImageType } from "../../compshare/schemas.ts";
import { instancesEn, operationsEn } from "./operation-messages.ts";
import { policyEn } from "./policy-messages.ts";
import { reinstallEn } from "./reinstall-messages.ts";
import type { WordedRetCodeKey } from "./retcode-words.ts";
import { scheduleEn } from "./schedule-messages.ts";
import { updateEn } from "./update-messages.ts";

/**
 * English catalogue: the source of truth for message keys. Every other catalogue must have
 * the same shape (checked by the type of zhCN). Values are plain strings or small functions;
 * text meant for mrkdwn fields must be escaped by the caller before it is interpolated.
 */
export const en = {
  sandboxBanner:
    ":test_tube: *Sandbox* — this bot talks to a simulated CompShare, not the real cloud. Nothing here costs money or touches real GPUs.",

  loading: ":hourglass_flowing_sand: Loading…",

  help: {
    title: "CompShare for Slack",
    intro: "Browse CompShare images, edit your own, and request instance reinstalls — from Slack.",
    commands: [
      ["/compshare login", "link your CompShare API keys (opens a form)"],
      ["/compshare whoami", "show which keys you linked"],
      ["/compshare logout", "remove your keys"],
      ["/compshare images [name] [--type System|App] [--author A] [--tag T]", "browse platform images"],
      ["/compshare custom", "list your own images"],
      ["/compshare shared", "list images shared with you"],
      ["/compshare image <image-id>", "show one image in full"],
      ["/compshare update [image-id]", "edit one of your images"],
      ["/compshare instances", "list your instances, with Start / Stop / Reboot / Reinstall buttons"],
      ["/compshare stop|start|reboot <instance-id>", "stop, start or reboot one of your instances"],
      [
        "/compshare reinstall [instance-id …] [image-id]",
        "ask for up to 20 instances to be reinstalled as one plan (needs approval)",
      ],
      ["/compshare audit [--since 7d]", "approvers: get the audit log as a CSV file in a DM"],
    ] as [string, string][],
    aliases:
      "Chinese aliases work too: 登录, 我是谁, 退出, 镜像, 自制, 共享, 详情, 编辑, 重装, 实例, 关机, 开机, 重启, 审计, 帮助.",
  },

  usage: {
    unknownSubcommand: (name: string) => `I don't know \`${name}\`. Try \`/compshare help\`.`,
    missingImageId: "Give an image id, for example `/compshare image compshareImage-abc123`.",
    badImageId: "That is not an image id. Image ids look like `compshareImage-abc123`.",
    badInstanceId: "That is not an instance id. Instance ids look like `uhost-abc123`.",
    unknownFlag: (flag: string) => `Unknown option \`${flag}\`. Options: --type, --author, --tag.`,
    missingFlagValue: (flag: string) => `Option \`${flag}\` needs a value, for example \`${flag} PyTorch\`.`,
    badType: "`--type` takes `System` or `App`.",
    tooLong: (what: string, max: number) => `${what} is too long (at most ${max} characters).`,
    unexpectedArgs: (command: string) => `\`${command}\` takes no arguments. Try \`/compshare help\`.`,
    unbalancedQuote: "A quotation mark is not closed.",
    missingInstanceId: (command: string) =>
      `Give an instance id, for example \`/compshare ${command} uhost-abc123\`. \`/compshare instances\` lists yours.`,
    tooManyInstances: (max: number) => `One request takes at most ${max} instances.`,
    hint: "Type `/compshare help` to see every command.",
  },

  keys: {
    notLinked:
      "You have not linked your CompShare API keys yet. Run `/compshare login` to add them (CompShare console → 账户中心 → API 密钥).",
    linked: (p: { publicKey: string; region: string; zone: string; projectId: string | undefined; since: string }) =>
      `Your Slack account is linked to CompShare public key \`${p.publicKey}\`\nRegion \`${p.region}\`, zone \`${p.zone}\`${p.projectId ? `, project \`${p.projectId}\`` : ""}. Linked ${p.since}.\nThe private key is stored encrypted and is never shown.`,
    removed: "Your CompShare keys have been removed from the bot.",
    nothingToRemove: "You have no CompShare keys stored, so there was nothing to remove.",
    undecryptable:
      "Your stored keys can no longer be read (the bot's encryption key changed). Run `/compshare login` to enter them again.",
  },

  login: {
    title: "CompShare API keys",
    submit: "Verify & save",
    close: "Cancel",
    intro:
      "Paste the key pair from the CompShare console (账户中心 → API 密钥). The bot checks it with one read-only call, then stores the private key encrypted. It is never shown again.",
    publicKey: "Public key",
    privateKey: "Private key",
    region: "Region",
    zone: "Zone",
    projectId: "Project ID (optional)",
    projectHint: "Leave empty to use your default project.",
    privateKeyHint: "Slack shows what you type here; make sure nobody is looking over your shoulder.",
    sandboxKeys:
      "Sandbox: these are the built-in simulator's demo keys. They open nothing else; just press the button.",
    errors: {
      publicKeyFormat: "This does not look like a CompShare public key: 10–256 characters, no spaces.",
      privateKeyFormat: "This does not look like a CompShare private key: 10–256 characters, no spaces.",
      regionFormat: "A region looks like cn-wlcb.",
      zoneFormat: "A zone looks like cn-wlcb-01.",
      zoneNotInRegion: "CompShare does not know this zone in this region, e.g. cn-wlcb-01 in cn-wlcb.",
      projectFormat: "A project id looks like org-abc123.",
      signature: "CompShare rejected this key pair: the private key does not belong to this public key.",
      unknownUser: "CompShare has no account with this public key.",
      projectNotFound: "CompShare says this project does not exist for your account.",
      rejected: (reason: string) => `CompShare did not accept these keys: ${reason}`,
      unreachable: "Could not reach CompShare to check the keys just now. Nothing was saved; try again in a moment.",
    },
    savedTitle: "Keys saved",
    saved: (publicKey: string, region: string, zone: string) =>
      `:white_check_mark: Your keys work and are stored encrypted.\nPublic key \`${publicKey}\`, region \`${region}\`, zone \`${zone}\`.`,
    done: "Done",
  },

  lists: {
    platformTitle: "Platform images",
    customTitle: "My images",
    sharedTitle: "Images shared with me",
    range: (from: number, to: number, total: number) => `Showing ${from}–${to} of ${total}`,
    filters: (text: string) => `Filters: ${text}`,
    emptyPlatform: "No platform images match. Try fewer filters or another name.",
    emptyCustom: "You have no custom images yet. Make one from an instance in the CompShare console.",
    emptyShared: "Nobody has shared an image with you yet.",
    previous: "Previous",
    next: "Next",
    free: "free",
    pricePerHour: (price: string) => `¥${price}/hour`,
    noTags: "no tags",
    details: "Details",
    edit: "Edit",
    reinstall: "Reinstall with this image",
    moreActions: "Actions",
    pageGone: "This list is too old to page through. Run the command again.",
  },

  image: {
    notFound: (id: string) =>
      `No image \`${id}\` among the platform images, your images or the images shared with you.`,
    id: "ID",
    type: "Type",
    author: "Author",
    status: "Status",
    visibility: "Visibility",
    public: "public",
    private: "private",
    price: "Price",
    size: "Size",
    created: "Created",
    published: "Published",
    version: "Version",
    gpuTypes: "GPU types",
    sourceGpu: "Made on GPU",
    software: "Software",
    tags: "Tags",
    owner: "Owner",
    autoStart: "Auto-start",
    yes: "yes",
    no: "no",
    cover: "Cover",
    description: "Description",
    readme: "Readme",
    readmeTruncated: (shown: number, total: number) => `_Readme shortened: showing ${shown} of ${total} characters._`,
    source: { platform: "Platform image", custom: "Your image", shared: "Shared with you" },
  },

  statuses: {
    Making: "being made",
    Available: "available",
    UnAvailable: "unavailable",
    Reviewing: "in review",
    Offline: "offline",
  } satisfies Record<ImageStatus, string>,

  imageTypes: { System: "System", App: "App", Custom: "Custom", Community: "Community" } satisfies Record<
    ImageType,
    string
  >,

  update: updateEn,
  reinstall: reinstallEn,
  operations: operationsEn,
  instances: instancesEn,
  policy: policyEn,
  schedule: scheduleEn,

  home: {
    title: "CompShare",
    keysLinked: (publicKey: string, region: string, zone: string) =>
      `:key: Keys linked: public key \`${publicKey}\`, region \`${region}\`, zone \`${zone}\`.`,
    keysMissing: ":warning: No CompShare keys linked yet. Add them to browse and manage images.",
    linkKeys: "Link API keys",
    replaceKeys: "Replace keys",
    browse: "Platform images",
    custom: "My images",
    shared: "Shared with me",
    help: "Help",
    helpText: "Use `/compshare help` in any channel to see every command.",
  },

  errors: {
    generic: (reference: string) =>
      `Something went wrong on our side and the bot could not finish. It has been logged (reference \`${reference}\`).`,
    network: "Could not reach CompShare. Try again in a minute; if it keeps failing, tell your admin.",
    timeout: "CompShare did not answer in time. Try again in a minute.",
    http: (status: number) => `CompShare answered with HTTP ${status}. Try again in a minute.`,
    invalidResponse:
      "CompShare sent an answer the bot could not read. Try again; if it keeps happening, tell your admin.",
    outcomeUnknown:
      "CompShare did not confirm whether this change was made. Check the CompShare console before trying again.",
    invalidRequest: (details: string) => `The request was not sent because some values are not valid: ${details}`,
    api: (message: string) => `CompShare said: ${message}`,
    support: (retCode: string, requestId: string) => `RetCode ${retCode} · request id \`${requestId}\``,
    requestIdOnly: (requestId: string) => `Request id \`${requestId}\``,
    supportNoRequestId: (retCode: string) => `RetCode ${retCode}`,
    slack: "Slack did not accept the bot's message. Try again in a moment.",
    retCodes: {
      GATEWAY_TIMEOUT: "CompShare did not answer within its own 60-second limit. Try again in a minute.",
      GATEWAY_ERROR: "CompShare's API gateway or sign-in service had an error. Try again in a minute.",
      TOKEN_NOT_FOUND:
        "CompShare does not know the token this request carried. Run `/compshare login` to enter your keys again.",
      SERVICE_UNAVAILABLE: "CompShare is temporarily unavailable.",
      RATE_LIMITED: "CompShare is rate-limiting requests. Wait a little and try again.",
      MISSING_ACTION: "The request named no API action.",
      UNKNOWN_ACTION: "CompShare does not know this API action.",
      MISSING_SIGNATURE: "The request was not signed.",
      SIGNATURE_ERROR:
        "CompShare rejected the signature: your private key does not match your public key. Run `/compshare login` to enter the pair again.",
      USER_NOT_FOUND: "CompShare has no account with your public key. Run `/compshare login` to check it.",
      PROJECT_NOT_FOUND:
        "The project does not exist for your account. Run `/compshare login` to change the project id.",
      ZONE_PERMISSION_DENIED: "Your account has no permission in this zone.",
      IP_DENIED: "CompShare refused the request from this IP address (API key IP allow-list).",
      SECURITY_LOCKED: "Your account has a security lock. Unlock it in the CompShare console.",
      IAM_PERMISSION_DENIED: "Your sub-account lacks the IAM permission for this action. Ask your account admin.",
      INSTANCE_IN_ARREARS: "The instance is in arrears. Top up your account first.",
      INSTANCE_EXPIRED: "The instance has expired. Renew it first.",
      IMAGE_GPU_TYPE_UNSUPPORTED: "This image does not support the instance's GPU type.",
      INSUFFICIENT_RESOURCES: "Not enough resources in this zone right now. Try later or another zone.",
      IMAGE_UPDATE_IN_PROGRESS: "An update task for this image is already running. Wait for it to finish.",
      ACCOUNT_NOT_VERIFIED: "Your account is not verified (实名认证). Verify it in the CompShare console.",
      SERVICE_ERROR: "CompShare had an internal error.",
    } satisfies Record<WordedRetCodeKey, string>,
    operationInProgress:
      "Another operation is in progress on this instance. Try again after it ends (up to 10 minutes).",
  },
};

export type Messages = typeof en;
