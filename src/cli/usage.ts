export const USAGE = `Usage: compshare-bot [command]

Commands:
  start                          run the Slack bot (the default)
  simulator [--port N] [--op-seconds N]
                                 run the CompShare API simulator with demo data on 127.0.0.1 (default port 8787;
                                 instance operations take N seconds, default 3, 0 for instant)
  call <Action> [Key=Value ...]  make one signed CompShare API call with COMPSHARE_PUBLIC_KEY / COMPSHARE_PRIVATE_KEY
  doctor                         check configuration, the store, Slack and CompShare, and say what to fix
  help                           show this message

Configuration comes from environment variables; README.md lists them.`;
