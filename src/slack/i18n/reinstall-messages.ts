/** Messages of the reinstall-with-approval flow (issue #6), English and Simplified Chinese side by side. */
export const reinstallEn = {
  notBuilt: "Reinstall requests are not available in this version yet.",
};

export const reinstallZhCN: typeof reinstallEn = {
  notBuilt: "当前版本尚不支持重装申请。",
};
