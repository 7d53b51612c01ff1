/** Messages of the image-update flow (issue #5), English and Simplified Chinese side by side. */
export const updateEn = {
  notBuilt: "Editing images from Slack is not available in this version yet.",
};

export const updateZhCN: typeof updateEn = {
  notBuilt: "当前版本尚不支持在 Slack 中编辑镜像。",
};
