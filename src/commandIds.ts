/** Command ids, declared once; package.json `contributes.commands` lists the same ids. */
export const COMMANDS = {
  showSummary: 'layerlens.showSummary',
  previewActivations: 'layerlens.previewActivations',
  copySummaryMarkdown: 'layerlens.copySummaryMarkdown',
  setInputShape: 'layerlens.setInputShape',
} as const;
