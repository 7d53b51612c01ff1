export const USAGE = `Usage: compshare-bot [command]

Commands:
  start                          run the Slack bot (the default)
  simulator [--port N] [--extra-images N]
                                 run the CompShare API simulator with demo data on 127.0.0.1 (default port 8787);
                                 --extra-images adds N numbered platform images for a large catalogue
  call <Action> [Key=Value ...]  make one signed CompShare API call with COMPSHARE_PUBLIC_KEY / COMPSHARE_PRIVATE_KEY
  doctor                         check configuration, the store, Slack and CompShare, and say what to fix
  help                           show this message

Configuration comes from environment variables; README.md lists them.`;
