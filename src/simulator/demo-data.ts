import type { AccountInput, SimAccount } from "./accounts.ts";
import { coverUrl } from "./cover.ts";
import { type PlatformImageSeed, platformCatalogue, syntheticCatalogue } from "./demo-catalogue.ts";
import { type ImageRecord, type SimulatorState, UnknownEntityError } from "./state.ts";

/**
 * Fixed demo key pairs. They open nothing but a simulator; the `simulator` command prints the
 * demo pair so a person can point the bot or `compshare-bot call` at it.
 */
export const DEMO_ACCOUNT = {
  publicKey: "compshare-demo-public-key",
  privateKey: "compshare-demo-private-key-4f1c9e2b7a5d3",
  accountName: "demo-team",
} as const satisfies AccountInput;

export const OTHER_ACCOUNT = {
  publicKey: "compshare-other-public-key",
  privateKey: "compshare-other-private-key-8b2e6d0c4a93",
  accountName: "other-lab",
} as const satisfies AccountInput;

/** 2025-03-01T00:00:00Z in seconds: custom images and instances are newer than the catalogue. */
const DEMO_EPOCH = 1_740_787_200;
const DAY = 86_400;

/** Fills a fresh model with the demo world: platform images, both accounts' images and instances. */
export function seedDemoData(state: SimulatorState, accounts: { demo: SimAccount; other: SimAccount }): void {
  const platform = seedPlatformImages(state);
  const byName = (name: string): ImageRecord => {
    const image = platform.find((candidate) => candidate.Name === name);
    if (image === undefined) throw new UnknownEntityError("image", name);
    return image;
  };
  seedDemoAccountImages(state, accounts.demo);
  seedOtherAccountImages(state, accounts);
  seedInstances(state, accounts, byName);
}

function seedPlatformImages(state: SimulatorState): ImageRecord[] {
  return platformCatalogue().map((seed, index) => addPlatformImage(state, seed, index));
}

/** A large catalogue on top of (or without) the demo data: `count` numbered platform images. */
export function seedSyntheticImages(state: SimulatorState, count: number): void {
  const first = state.listPlatformImages().length;
  let index = first;
  for (const seed of syntheticCatalogue(count, first)) addPlatformImage(state, seed, index++);
}

function addPlatformImage(state: SimulatorState, seed: PlatformImageSeed, index: number): ImageRecord {
  // Usage counts vary so a list has something to sort by; deterministic like everything here.
  const image = state.addPlatformImage({
    CreatedCount: (index * 37) % 500,
    FavoritesCount: (index * 11) % 90,
    ImageUseTime: (index * 53) % 2000,
    ...seed,
  });
  if (image.ImageType !== "App") return image;
  return state.updateImage(image.CompShareImageId, { Cover: coverUrl(image.CompShareImageId, "png") });
}

function seedDemoAccountImages(state: SimulatorState, demo: SimAccount): void {
  const at = (days: number) => DEMO_EPOCH + days * DAY;
  state.addCustomImage(demo.accountId, {
    Name: "sd-finetune-work",
    Status: "Making",
    Tags: ["Stable Diffusion"],
    Description: "正在制作中的镜像 / still being made",
    CreateTime: at(30),
    SourceGpuType: "4090",
  });
  state.addCustomImage(demo.accountId, {
    Name: "llama3-8b-serving",
    Tags: ["大模型", "LLaMA"],
    Description: "Llama 3 8B behind vLLM, tuned for one 4090.",
    Visibility: 1,
    Price: 1.5,
    CreateTime: at(3),
    PubTime: at(4),
    VersionName: "v2",
    VersionDesc: "vLLM 0.6.3",
    Softwares: { CUDAVersion: "12.4", Framework: "PyTorch", FrameworkVersion: "2.4.0", Applications: ["vLLM"] },
  });
  state.addCustomImage(demo.accountId, {
    Name: "qwen-lora-trainer",
    Tags: ["大模型", "Qwen", "微调"],
    Description: "Qwen2.5 LoRA 微调环境，带完整使用说明。",
    Readme: longReadme(),
    CreateTime: at(8),
    SourceGpuType: "A100",
  });
  state.addCustomImage(demo.accountId, {
    Name: "comfyui-workflows",
    Tags: ["ComfyUI", "AI绘画"],
    Description: "团队常用的 ComfyUI 工作流。",
    SupportedGpuTypes: ["4090", "A100"],
    AutoStart: true,
    CreateTime: at(12),
    Softwares: { CUDAVersion: "12.4", Framework: "PyTorch", FrameworkVersion: "2.5.1", Applications: ["ComfyUI"] },
  });
  state.addCustomImage(demo.accountId, {
    Name: "base-env-private",
    Description: "Private base environment.",
    CreateTime: at(1),
  });
  state.addCustomImage(demo.accountId, {
    Name: "old-experiment",
    Status: "UnAvailable",
    FailedReason: "disk snapshot failed: the instance stopped while the image was being made",
    Description: "An image that failed its last build.",
    CreateTime: at(0),
  });
}

function seedOtherAccountImages(state: SimulatorState, accounts: { demo: SimAccount; other: SimAccount }): void {
  const { demo, other } = accounts;
  const at = (days: number) => DEMO_EPOCH + days * DAY;
  const shared = [
    { Name: "shared-pytorch-env", Tags: ["深度学习", "PyTorch"], CreateTime: at(5) },
    { Name: "shared-sd-models", Tags: ["Stable Diffusion", "AI绘画"], CreateTime: at(9), SourceGpuType: "A100" },
    { Name: "共享-大模型评测", Tags: ["大模型"], CreateTime: at(14), Description: "团队共享的大模型评测环境" },
    { Name: "shared-in-progress", Status: "Making" as const, CreateTime: at(31) },
  ];
  for (const fields of shared) {
    const image = state.addCustomImage(other.accountId, { Description: "Shared by other-lab.", ...fields });
    state.shareImage(image.CompShareImageId, demo.accountId);
  }
  state.addCustomImage(other.accountId, { Name: "other-private-env", CreateTime: at(2) });
  state.addCustomImage(other.accountId, {
    Name: "other-public-sd",
    Visibility: 1,
    Price: 0.8,
    CreateTime: at(6),
    PubTime: at(7),
  });
}

function seedInstances(
  state: SimulatorState,
  accounts: { demo: SimAccount; other: SimAccount },
  byName: (name: string) => ImageRecord,
): void {
  const at = (days: number) => DEMO_EPOCH + days * DAY;
  const running = (name: string) => {
    const image = byName(name);
    return { CompShareImageId: image.CompShareImageId, CompShareImageName: image.Name };
  };
  const demo = accounts.demo.accountId;
  state.addInstance(demo, {
    Name: "train-4090-a",
    State: "Stopped",
    GpuType: "4090",
    GPU: 1,
    ...running("PyTorch 2.4.0"),
    CreateTime: at(10),
  });
  state.addInstance(demo, {
    Name: "train-a100-b",
    State: "Stopped",
    GpuType: "A100",
    GPU: 2,
    CPU: 32,
    Memory: 262_144,
    ...running("LLaMA-Factory 0.9.1"),
    CreateTime: at(11),
    ChargeType: "Month",
    ExpireTime: at(41),
  });
  state.addInstance(demo, {
    Name: "eval-h20",
    State: "Stopped",
    GpuType: "H20",
    GPU: 1,
    CPU: 24,
    Memory: 196_608,
    ...running("vLLM 0.6.3 推理服务"),
    CreateTime: at(13),
  });
  state.addInstance(demo, {
    Name: "infer-h20",
    State: "Running",
    GpuType: "H20",
    GPU: 1,
    CPU: 24,
    Memory: 196_608,
    ...running("通义千问 Qwen2.5 7B 推理"),
    CreateTime: at(15),
  });
  state.addInstance(demo, {
    Name: "render-l40s",
    State: "Running",
    GpuType: "L40S",
    GPU: 4,
    CPU: 64,
    Memory: 524_288,
    ...running("Blender 4.3 渲染"),
    CreateTime: at(16),
  });
  state.addInstance(demo, {
    Name: "dev-4090",
    State: "Stopping",
    GpuType: "4090",
    GPU: 2,
    ...running("ComfyUI 整合包 2025-03"),
    CreateTime: at(17),
  });
  state.addInstance(demo, {
    Name: "broken-a800",
    State: "Install Fail",
    GpuType: "A800",
    GPU: 1,
    CPU: 32,
    Memory: 262_144,
    ...running("Ubuntu 22.04 CUDA 12.4"),
    CreateTime: at(18),
  });
  const other = accounts.other.accountId;
  state.addInstance(other, { Name: "other-train", State: "Running", GpuType: "A100", GPU: 8, CreateTime: at(4) });
  state.addInstance(other, { Name: "other-idle", State: "Stopped", GpuType: "4090", GPU: 1, CreateTime: at(6) });
}

/** A Readme longer than one Slack section (3000 characters), so views must page or truncate it. */
function longReadme(): string {
  const sections = [
    "## Qwen LoRA 训练镜像\n\n本镜像用于在单卡或多卡 GPU 上对 Qwen2.5 系列模型做 LoRA / QLoRA 微调。",
    "### 目录结构\n\n- /workspace/data：训练数据（jsonl，每行一条对话）\n- /workspace/output：检查点与日志\n- /workspace/scripts：启动脚本",
    "### Quick start\n\n```bash\ncd /workspace/scripts\n./train.sh --model Qwen2.5-7B-Instruct --data ../data/train.jsonl --epochs 3\n```",
    "### 显存建议 / Memory\n\n| 模型 | LoRA | QLoRA |\n|---|---|---|\n| 7B | 24 GB | 12 GB |\n| 14B | 40 GB | 20 GB |\n| 32B | 80 GB | 40 GB |",
    "### 常见问题\n\n**训练中断怎么办？** 使用 --resume 从最近的检查点继续。\n\n**如何导出合并后的权重？** 运行 ./merge.sh，输出在 /workspace/output/merged。",
  ];
  const out: string[] = [];
  for (let round = 1; out.join("\n\n").length <= 3600; round++) {
    for (const section of sections)
      out.push(round === 1 ? section : `${section}\n\n（第 ${round} 部分 / part ${round}）`);
  }
  return out.join("\n\n");
}
