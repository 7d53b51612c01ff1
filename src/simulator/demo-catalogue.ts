import type { ImageFields, ImageRecord } from "./state.ts";

/**
 * The platform images of the demo data: a fixed table expanded by fixed rules (no randomness),
 * so every run, test and screenshot sees the same ids, names, statuses and prices.
 */

export type PlatformImageSeed = ImageFields & Pick<ImageRecord, "Name" | "Owner" | "ImageType">;

interface Family {
  type: "System" | "App";
  /** `{v}` is replaced by each variant. */
  name: string;
  variants: readonly string[];
  authors: readonly string[];
  tags: readonly string[];
  description: string;
  framework: string;
  /** Framework version per variant index, or one for all. */
  frameworkVersion: (variant: string, index: number) => string;
  cuda: (variant: string, index: number) => string;
  applications: readonly string[];
  /** Yuan per hour, by variant index (cycled). */
  prices: readonly number[];
  supportedGpuTypes?: (variant: string) => string[];
}

const CUDA_FOR_TORCH: Record<string, string> = {
  "1.13.1": "11.7",
  "2.0.1": "11.8",
  "2.1.2": "12.1",
  "2.2.2": "12.1",
  "2.3.1": "12.1",
  "2.4.0": "12.4",
  "2.5.1": "12.4",
  "2.6.0": "12.6",
};

const cycle =
  (values: readonly string[]) =>
  (_variant: string, index: number): string =>
    values[index % values.length] ?? "";
const fixed = (value: string) => () => value;
const same = (variant: string) => variant;
const BIG_GPUS = ["A100", "A800", "H20", "H100"];
const needsBigGpu = (variant: string) => (/\b(32B|70B|72B)\b/.test(variant) ? [...BIG_GPUS] : []);

const FAMILIES: readonly Family[] = [
  {
    type: "System",
    name: "Ubuntu {v}",
    variants: [
      "22.04 CUDA 12.4",
      "22.04 CUDA 12.1",
      "22.04 CUDA 11.8",
      "20.04 CUDA 11.8",
      "20.04 CUDA 12.1",
      "24.04 CUDA 12.8",
      "24.04 CUDA 12.6",
      "22.04 纯净系统",
    ],
    authors: ["UCloud"],
    tags: ["基础环境", "Ubuntu"],
    description:
      "官方基础镜像，预装 NVIDIA 驱动与 CUDA。Official base image with the NVIDIA driver and CUDA preinstalled.",
    framework: "",
    frameworkVersion: fixed(""),
    cuda: (variant) => /CUDA ([\d.]+)/.exec(variant)?.[1] ?? "",
    applications: ["SSH"],
    prices: [0],
  },
  {
    type: "System",
    name: "{v}",
    variants: [
      "CentOS 7.9 CUDA 11.8",
      "CentOS 7.9 CUDA 12.1",
      "Rocky Linux 9 CUDA 12.4",
      "Debian 12 CUDA 12.4",
      "Debian 12 CUDA 12.8",
      "Windows Server 2022 GPU 驱动版",
    ],
    authors: ["UCloud"],
    tags: ["基础环境"],
    description: "基础操作系统镜像 / base operating system image.",
    framework: "",
    frameworkVersion: fixed(""),
    cuda: (variant) => /CUDA ([\d.]+)/.exec(variant)?.[1] ?? "12.4",
    applications: ["SSH"],
    prices: [0],
  },
  {
    type: "System",
    name: "PyTorch {v}",
    variants: Object.keys(CUDA_FOR_TORCH),
    authors: ["UCloud", "CompShare"],
    tags: ["深度学习", "PyTorch"],
    description: "PyTorch 深度学习环境，含 Python 3.10、JupyterLab。PyTorch deep-learning environment.",
    framework: "PyTorch",
    frameworkVersion: same,
    cuda: (variant) => CUDA_FOR_TORCH[variant] ?? "12.4",
    applications: ["JupyterLab", "TensorBoard"],
    prices: [0],
  },
  {
    type: "System",
    name: "TensorFlow {v}",
    variants: ["2.12.0", "2.13.1", "2.14.0", "2.15.0", "2.16.1"],
    authors: ["UCloud"],
    tags: ["深度学习", "TensorFlow"],
    description: "TensorFlow 官方 GPU 环境 / TensorFlow GPU environment.",
    framework: "TensorFlow",
    frameworkVersion: same,
    cuda: cycle(["11.8", "11.8", "12.1", "12.2", "12.3"]),
    applications: ["JupyterLab", "TensorBoard"],
    prices: [0],
  },
  {
    type: "System",
    name: "飞桨 PaddlePaddle {v}",
    variants: ["2.5.2", "2.6.1", "3.0.0"],
    authors: ["UCloud"],
    tags: ["深度学习", "PaddlePaddle"],
    description: "百度飞桨深度学习框架环境。",
    framework: "PaddlePaddle",
    frameworkVersion: same,
    cuda: cycle(["11.8", "12.0", "12.3"]),
    applications: ["JupyterLab"],
    prices: [0],
  },
  {
    type: "System",
    name: "JAX {v}",
    variants: ["0.4.23", "0.4.30"],
    authors: ["CompShare"],
    tags: ["深度学习", "JAX"],
    description: "JAX with CUDA and cuDNN.",
    framework: "JAX",
    frameworkVersion: same,
    cuda: cycle(["12.2", "12.4"]),
    applications: ["JupyterLab"],
    prices: [0],
  },
  {
    type: "System",
    name: "MindSpore {v}",
    variants: ["2.2.14", "2.3.1"],
    authors: ["CompShare"],
    tags: ["深度学习", "MindSpore"],
    description: "昇思 MindSpore GPU 版本环境。",
    framework: "MindSpore",
    frameworkVersion: same,
    cuda: fixed("11.6"),
    applications: ["JupyterLab"],
    prices: [0],
  },
  {
    type: "System",
    name: "NVIDIA TensorRT {v}",
    variants: ["8.6", "10.3", "10.7"],
    authors: ["CompShare"],
    tags: ["深度学习", "推理", "TensorRT"],
    description: "TensorRT inference SDK with CUDA and cuDNN.",
    framework: "TensorRT",
    frameworkVersion: same,
    cuda: cycle(["12.0", "12.4", "12.6"]),
    applications: ["JupyterLab"],
    prices: [0],
  },
  {
    type: "System",
    name: "Miniconda {v}",
    variants: ["Python 3.9", "Python 3.10", "Python 3.11", "Python 3.12"],
    authors: ["UCloud"],
    tags: ["基础环境", "Python"],
    description: "Miniconda 基础环境，自行安装框架 / bring your own framework.",
    framework: "",
    frameworkVersion: fixed(""),
    cuda: fixed("12.4"),
    applications: ["JupyterLab"],
    prices: [0],
  },
  {
    type: "App",
    name: "Stable Diffusion WebUI {v}",
    variants: ["v1.6.0", "v1.7.0", "v1.8.0", "v1.9.4", "v1.10.1"],
    authors: ["CompShare", "炼丹师老王"],
    tags: ["AI绘画", "Stable Diffusion"],
    description: "AUTOMATIC1111 Stable Diffusion WebUI 整合包，内置常用模型与插件。",
    framework: "PyTorch",
    frameworkVersion: cycle(["2.0.1", "2.1.2", "2.1.2", "2.3.1", "2.4.0"]),
    cuda: cycle(["11.8", "12.1", "12.1", "12.1", "12.4"]),
    applications: ["Stable Diffusion WebUI", "JupyterLab"],
    prices: [0, 0.5, 1],
  },
  {
    type: "App",
    name: "SD WebUI Forge {v}",
    variants: ["2024-08", "2024-12", "2025-04"],
    authors: ["炼丹师老王"],
    tags: ["AI绘画", "Stable Diffusion", "Flux"],
    description: "Forge 版 WebUI，支持 Flux 模型，显存占用更低。",
    framework: "PyTorch",
    frameworkVersion: fixed("2.3.1"),
    cuda: fixed("12.1"),
    applications: ["Stable Diffusion WebUI Forge"],
    prices: [0.5],
  },
  {
    type: "App",
    name: "ComfyUI 整合包 {v}",
    variants: ["v1", "v2", "v3", "2024-12", "2025-03", "2025-06"],
    authors: ["CompShare", "AIGC-Lab"],
    tags: ["ComfyUI", "AI绘画", "Stable Diffusion"],
    description: "ComfyUI 节点式工作流，预装 Manager 与常用自定义节点。Node-based workflows for Stable Diffusion.",
    framework: "PyTorch",
    frameworkVersion: cycle(["2.1.2", "2.2.2", "2.3.1", "2.4.0", "2.5.1", "2.6.0"]),
    cuda: cycle(["12.1", "12.1", "12.1", "12.4", "12.4", "12.6"]),
    applications: ["ComfyUI", "ComfyUI-Manager"],
    prices: [0, 0.3, 0.8],
  },
  {
    type: "App",
    name: "ComfyUI Flux Workflow {v}",
    variants: ["dev", "schnell", "fill"],
    authors: ["AIGC-Lab"],
    tags: ["ComfyUI", "Flux", "AI绘画"],
    description: "Flux.1 text-to-image workflows for ComfyUI.",
    framework: "PyTorch",
    frameworkVersion: fixed("2.4.0"),
    cuda: fixed("12.4"),
    applications: ["ComfyUI"],
    prices: [1.2],
  },
  {
    type: "App",
    name: "Fooocus {v}",
    variants: ["2.4.3", "2.5.5"],
    authors: ["gpu-tinkerer"],
    tags: ["AI绘画", "Stable Diffusion"],
    description: "Fooocus：开箱即用的 SDXL 绘图工具。",
    framework: "PyTorch",
    frameworkVersion: fixed("2.1.2"),
    cuda: fixed("12.1"),
    applications: ["Fooocus"],
    prices: [0],
  },
  {
    type: "App",
    name: "Kohya_ss LoRA 训练 {v}",
    variants: ["v22", "v23", "v24"],
    authors: ["炼丹师老王", "AIGC-Lab"],
    tags: ["LoRA", "训练", "Stable Diffusion"],
    description: "LoRA / DreamBooth 训练环境，带图形界面。",
    framework: "PyTorch",
    frameworkVersion: cycle(["2.1.2", "2.3.1", "2.4.0"]),
    cuda: cycle(["12.1", "12.1", "12.4"]),
    applications: ["kohya_ss"],
    prices: [0.5, 1],
  },
  {
    type: "App",
    name: "LLaMA-Factory {v}",
    variants: ["0.7.1", "0.8.3", "0.9.1", "0.9.2"],
    authors: ["open-llm-club", "CompShare"],
    tags: ["大模型", "LLaMA", "微调"],
    description: "LLaMA-Factory 一站式大模型微调（LoRA/QLoRA/全参），含 WebUI。",
    framework: "PyTorch",
    frameworkVersion: cycle(["2.2.2", "2.3.1", "2.4.0", "2.5.1"]),
    cuda: cycle(["12.1", "12.1", "12.4", "12.4"]),
    applications: ["LLaMA-Factory", "JupyterLab"],
    prices: [0, 1],
  },
  {
    type: "App",
    name: "Meta Llama {v} Instruct",
    variants: ["3 8B", "3.1 8B", "3.1 70B", "3.2 3B", "3.3 70B"],
    authors: ["open-llm-club"],
    tags: ["LLaMA", "大模型", "推理"],
    description: "Llama instruct model served with an OpenAI-compatible API.",
    framework: "PyTorch",
    frameworkVersion: fixed("2.4.0"),
    cuda: fixed("12.4"),
    applications: ["vLLM", "Open WebUI"],
    prices: [1, 1, 3, 0.5, 3],
    supportedGpuTypes: needsBigGpu,
  },
  {
    type: "App",
    name: "通义千问 Qwen2.5 {v} 推理",
    variants: ["0.5B", "1.5B", "7B", "14B", "32B", "72B"],
    authors: ["模型小站", "CompShare"],
    tags: ["大模型", "Qwen", "推理"],
    description: "Qwen2.5 指令模型，vLLM 部署，OpenAI 兼容接口。",
    framework: "PyTorch",
    frameworkVersion: fixed("2.5.1"),
    cuda: fixed("12.4"),
    applications: ["vLLM"],
    prices: [0, 0.3, 0.8, 1.2, 2.5, 4],
    supportedGpuTypes: needsBigGpu,
  },
  {
    type: "App",
    name: "DeepSeek-R1-Distill {v}",
    variants: ["Qwen 1.5B", "Qwen 7B", "Llama 8B", "Qwen 14B", "Qwen 32B", "Llama 70B"],
    authors: ["模型小站", "open-llm-club"],
    tags: ["大模型", "DeepSeek", "推理"],
    description: "DeepSeek-R1 蒸馏模型，支持思维链推理。Distilled reasoning models.",
    framework: "PyTorch",
    frameworkVersion: fixed("2.5.1"),
    cuda: fixed("12.4"),
    applications: ["vLLM", "Open WebUI"],
    prices: [0.3, 0.8, 0.8, 1.2, 2.5, 4],
    supportedGpuTypes: needsBigGpu,
  },
  {
    type: "App",
    name: "{v}",
    variants: ["ChatGLM3-6B", "ChatGLM3-6B-32K", "GLM-4-9B-Chat", "GLM-4-9B-Chat-1M"],
    authors: ["模型小站"],
    tags: ["大模型", "ChatGLM", "推理"],
    description: "智谱 GLM 系列对话模型，含 Web Demo。",
    framework: "PyTorch",
    frameworkVersion: fixed("2.3.1"),
    cuda: fixed("12.1"),
    applications: ["Gradio"],
    prices: [0.5],
  },
  {
    type: "App",
    name: "vLLM {v} 推理服务",
    variants: ["0.4.3", "0.5.5", "0.6.3", "0.7.2", "0.8.5"],
    authors: ["CompShare", "open-llm-club"],
    tags: ["大模型", "vLLM", "推理"],
    description: "High-throughput LLM serving with vLLM; bring your own weights.",
    framework: "PyTorch",
    frameworkVersion: cycle(["2.3.0", "2.4.0", "2.4.0", "2.5.1", "2.6.0"]),
    cuda: cycle(["12.1", "12.1", "12.4", "12.4", "12.6"]),
    applications: ["vLLM"],
    prices: [0],
  },
  {
    type: "App",
    name: "Ollama + Open WebUI {v}",
    variants: ["0.3", "0.4", "0.5", "0.6"],
    authors: ["gpu-tinkerer", "CompShare"],
    tags: ["大模型", "Ollama"],
    description: "Ollama 本地大模型运行时与 Open WebUI 聊天界面。",
    framework: "",
    frameworkVersion: fixed(""),
    cuda: fixed("12.4"),
    applications: ["Ollama", "Open WebUI"],
    prices: [0, 0.2],
  },
  {
    type: "App",
    name: "Text Generation WebUI {v}",
    variants: ["1.14", "1.16", "2.0"],
    authors: ["gpu-tinkerer"],
    tags: ["大模型", "推理"],
    description: "oobabooga text-generation-webui.",
    framework: "PyTorch",
    frameworkVersion: fixed("2.4.0"),
    cuda: fixed("12.1"),
    applications: ["text-generation-webui"],
    prices: [0],
  },
  {
    type: "App",
    name: "JupyterLab 数据科学 {v}",
    variants: ["Python 3.10", "Python 3.11", "Python 3.12"],
    authors: ["CompShare"],
    tags: ["Jupyter", "数据科学"],
    description: "JupyterLab with pandas, scikit-learn, RAPIDS.",
    framework: "RAPIDS",
    frameworkVersion: cycle(["24.04", "24.08", "24.12"]),
    cuda: fixed("12.2"),
    applications: ["JupyterLab"],
    prices: [0],
  },
  {
    type: "App",
    name: "Whisper 语音识别 {v}",
    variants: ["large-v2", "large-v3", "large-v3-turbo"],
    authors: ["声音工坊"],
    tags: ["语音", "Whisper"],
    description: "OpenAI Whisper / faster-whisper 语音转文字。",
    framework: "PyTorch",
    frameworkVersion: fixed("2.3.1"),
    cuda: fixed("12.1"),
    applications: ["faster-whisper", "Gradio"],
    prices: [0.3],
  },
  {
    type: "App",
    name: "GPT-SoVITS 语音克隆 {v}",
    variants: ["v2", "v3", "v4"],
    authors: ["声音工坊"],
    tags: ["语音", "TTS"],
    description: "少样本语音克隆与合成，含 WebUI。",
    framework: "PyTorch",
    frameworkVersion: fixed("2.4.0"),
    cuda: fixed("12.4"),
    applications: ["GPT-SoVITS"],
    prices: [0.5],
  },
  {
    type: "App",
    name: "{v}",
    variants: ["Fish Speech 1.4", "Fish Speech 1.5", "CosyVoice 2", "CosyVoice 300M"],
    authors: ["声音工坊"],
    tags: ["语音", "TTS"],
    description: "Text-to-speech models with a Gradio UI.",
    framework: "PyTorch",
    frameworkVersion: fixed("2.4.0"),
    cuda: fixed("12.4"),
    applications: ["Gradio"],
    prices: [0.3],
  },
  {
    type: "App",
    name: "数字人 {v}",
    variants: ["MuseTalk 1.5", "SadTalker 0.0.2", "LivePortrait", "EchoMimic v2"],
    authors: ["AIGC-Lab"],
    tags: ["数字人", "视频生成"],
    description: "口型驱动与人像动画 / lip sync and portrait animation.",
    framework: "PyTorch",
    frameworkVersion: fixed("2.2.2"),
    cuda: fixed("12.1"),
    applications: ["Gradio"],
    prices: [0.8],
  },
  {
    type: "App",
    name: "{v} 视频生成",
    variants: ["Stable Video Diffusion", "CogVideoX-5B", "CogVideoX-2B", "HunyuanVideo", "Wan2.1 14B"],
    authors: ["AIGC-Lab", "CompShare"],
    tags: ["视频生成", "AIGC"],
    description: "文生视频 / 图生视频模型环境。",
    framework: "PyTorch",
    frameworkVersion: fixed("2.5.1"),
    cuda: fixed("12.4"),
    applications: ["ComfyUI", "Gradio"],
    prices: [1.5, 1, 0.8, 3, 3],
    supportedGpuTypes: (variant) => (/Hunyuan|14B/.test(variant) ? [...BIG_GPUS] : []),
  },
  {
    type: "App",
    name: "{v}",
    variants: [
      "YOLOv8 目标检测",
      "YOLO11 目标检测",
      "Segment Anything (SAM 2)",
      "Grounding DINO",
      "PaddleOCR 文字识别",
    ],
    authors: ["CompShare", "gpu-tinkerer"],
    tags: ["计算机视觉", "深度学习"],
    description: "计算机视觉训练与推理环境 / computer-vision training and inference.",
    framework: "PyTorch",
    frameworkVersion: fixed("2.3.1"),
    cuda: fixed("12.1"),
    applications: ["JupyterLab"],
    prices: [0, 0.2],
  },
  {
    type: "App",
    name: "{v}",
    variants: ["Dify 0.15", "Dify 1.1", "LangChain-Chatchat 0.3", "RAGFlow 0.17", "FastGPT 4.8", "AnythingLLM 1.7"],
    authors: ["open-llm-club", "模型小站"],
    tags: ["大模型", "知识库", "RAG"],
    description: "大模型应用开发与知识库问答平台。LLM app platforms and RAG.",
    framework: "",
    frameworkVersion: fixed(""),
    cuda: fixed("12.4"),
    applications: ["Docker"],
    prices: [0, 0.5],
  },
  {
    type: "App",
    name: "{v}",
    variants: ["DeepSpeed 0.14 分布式训练", "DeepSpeed 0.15 分布式训练", "Megatron-LM core 0.9", "ColossalAI 0.4"],
    authors: ["CompShare"],
    tags: ["深度学习", "分布式训练", "大模型"],
    description: "Multi-GPU distributed training environments.",
    framework: "PyTorch",
    frameworkVersion: fixed("2.4.0"),
    cuda: fixed("12.4"),
    applications: ["JupyterLab"],
    prices: [0],
    supportedGpuTypes: () => [...BIG_GPUS],
  },
  {
    type: "App",
    name: "{v}",
    variants: [
      "MinerU PDF 解析 1.0",
      "MinerU PDF 解析 1.3",
      "InvokeAI 4.2",
      "InvokeAI 5.6",
      "Blender 4.2 渲染",
      "Blender 4.3 渲染",
    ],
    authors: ["gpu-tinkerer", "AIGC-Lab"],
    tags: ["工具"],
    description: "常用 GPU 工具镜像 / handy GPU tools.",
    framework: "",
    frameworkVersion: fixed(""),
    cuda: fixed("12.4"),
    applications: ["Gradio"],
    prices: [0, 0.3],
  },
  {
    type: "App",
    name: "SGLang {v} 推理",
    variants: ["0.3.6", "0.4.1", "0.4.6"],
    authors: ["open-llm-club"],
    tags: ["大模型", "推理"],
    description: "SGLang fast serving for LLMs and VLMs.",
    framework: "PyTorch",
    frameworkVersion: cycle(["2.4.0", "2.5.1", "2.6.0"]),
    cuda: cycle(["12.1", "12.4", "12.4"]),
    applications: ["SGLang"],
    prices: [0],
  },
  {
    type: "App",
    name: "{v}",
    variants: [
      "Xinference 0.16",
      "Xinference 1.2",
      "InternLM2.5-7B-Chat",
      "MiniCPM-V 2.6",
      "Baichuan2-13B-Chat",
      "Yi-1.5 34B Chat",
    ],
    authors: ["模型小站"],
    tags: ["大模型", "推理"],
    description: "开源大模型一键部署 / open models, one click.",
    framework: "PyTorch",
    frameworkVersion: fixed("2.4.0"),
    cuda: fixed("12.4"),
    applications: ["Gradio"],
    prices: [0.5, 0.5, 0.6, 0.6, 1, 2],
    supportedGpuTypes: (variant) => (/34B/.test(variant) ? [...BIG_GPUS] : []),
  },
  {
    type: "App",
    name: "{v}",
    variants: ["Stable Diffusion 3.5 Medium", "Stable Diffusion 3.5 Large", "Kolors 可图", "Kolors IP-Adapter"],
    authors: ["AIGC-Lab", "炼丹师老王"],
    tags: ["AI绘画", "Stable Diffusion"],
    description: "新一代文生图模型 / next-generation text-to-image models.",
    framework: "PyTorch",
    frameworkVersion: fixed("2.4.0"),
    cuda: fixed("12.4"),
    applications: ["ComfyUI"],
    prices: [0.8, 1.5, 0.8, 0.8],
  },
];

const AUTHOR_ACCOUNT_IDS: Record<string, string> = {
  UCloud: "100000001",
  CompShare: "100000002",
  炼丹师老王: "300000101",
  "AIGC-Lab": "300000102",
  模型小站: "300000103",
  "open-llm-club": "300000104",
  "gpu-tinkerer": "300000105",
  声音工坊: "300000106",
};

const GPU_TYPES = ["4090", "A100", "H20", "3090", "A800", "L40S"];
/** 2024-01-01T00:00:00Z, in seconds as the API sends times. */
const CATALOGUE_EPOCH = 1_704_067_200;
const DAY = 86_400;

/** Every few images is not Available, as on the real platform. */
function statusFor(index: number): ImageRecord["Status"] {
  if (index % 31 === 7) return "UnAvailable";
  if (index % 37 === 11) return "Offline";
  if (index % 41 === 5) return "Reviewing";
  return "Available";
}

export function platformCatalogue(): PlatformImageSeed[] {
  const seeds: PlatformImageSeed[] = [];
  for (const family of FAMILIES) {
    family.variants.forEach((variant, variantIndex) => {
      seeds.push(seedOf(family, variantIndex, seeds.length, family.name.replace("{v}", variant)));
    });
  }
  return seeds;
}

/**
 * `count` more platform images for a large catalogue (the simulator's --extra-images): the demo
 * families again, numbered, by the same fixed rules, so they page, filter and search like the rest.
 */
export function syntheticCatalogue(count: number, firstIndex: number): PlatformImageSeed[] {
  const seeds: PlatformImageSeed[] = [];
  for (let n = 0; n < count; n += 1) {
    const family = FAMILIES[n % FAMILIES.length] as Family;
    const variantIndex = Math.floor(n / FAMILIES.length) % family.variants.length;
    const variant = family.variants[variantIndex] ?? "";
    const name = `${family.name.replace("{v}", variant)} #${n + 1}`;
    seeds.push(seedOf(family, variantIndex, firstIndex + n, name));
  }
  return seeds;
}

function seedOf(family: Family, variantIndex: number, index: number, name: string): PlatformImageSeed {
  const variant = family.variants[variantIndex] ?? "";
  const author = family.authors[variantIndex % family.authors.length] ?? "CompShare";
  // Three days apart, wrapping after about five years so a large synthetic catalogue stays in the past.
  const createTime = CATALOGUE_EPOCH + (index % 600) * 3 * DAY;
  return {
    Name: name,
    ImageType: family.type,
    Author: author,
    Owner: { AccountId: AUTHOR_ACCOUNT_IDS[author] ?? "100000002", AccountName: author },
    Status: statusFor(index),
    Tags: [...family.tags],
    Description: family.description,
    Readme: `## ${name}\n\n${family.description}\n\n### 使用说明 / Usage\n\n1. 开机后在控制台打开应用入口。\n2. Open the app from the console once the instance is Running.\n`,
    Visibility: 1,
    Price: family.prices[variantIndex % family.prices.length] ?? 0,
    Size: family.type === "System" ? 20_480 + (index % 10) * 1024 : 40_960 + (index % 15) * 2048,
    CreateTime: createTime,
    PubTime: createTime + 3600,
    VersionName: variant,
    VersionDesc: `${name} release`,
    AutoStart: family.type === "App",
    Softwares: {
      CUDAVersion: family.cuda(variant, variantIndex),
      Framework: family.framework,
      FrameworkVersion: family.frameworkVersion(variant, variantIndex),
      Applications: [...family.applications],
    },
    SourceGpuType: GPU_TYPES[index % GPU_TYPES.length] ?? "4090",
    SupportedGpuTypes: family.supportedGpuTypes?.(variant) ?? [],
  };
}
