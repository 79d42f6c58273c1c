#!/usr/bin/env bash
# Validates contracts/asyncapi.yaml and contracts/openapi.yaml (and the JSON Schemas they refer to) with their own
# ecosystems' validators: AsyncAPI's CLI and Redocly's CLI, from the npm registry. Installs them under
# target/contract-tools first when they are not there (about 2 minutes, once). Exits non-zero on any problem.
#   contracts/check.sh            install if needed, then validate both documents
#   contracts/check.sh --install  install only
#   contracts/check.sh DIR        validate DIR/asyncapi.yaml and DIR/openapi.yaml instead (ContractValidatorsIT's broken copy)
set -euo pipefail
cd "$(dirname "$0")/.."

TOOLS=target/contract-tools
ASYNCAPI_CLI=@asyncapi/cli@6.2.0
REDOCLY_CLI=@redocly/cli@2.77.0

installed() {
    [ -x "$TOOLS/node_modules/.bin/asyncapi" ] && [ -x "$TOOLS/node_modules/.bin/redocly" ] \
        && grep -q "\"version\": \"${ASYNCAPI_CLI##*@}\"" "$TOOLS/node_modules/@asyncapi/cli/package.json" \
        && grep -q "\"version\": \"${REDOCLY_CLI##*@}\"" "$TOOLS/node_modules/@redocly/cli/package.json"
}

if ! installed; then
    echo "Installing $ASYNCAPI_CLI and $REDOCLY_CLI under $TOOLS"
    mkdir -p "$TOOLS"
    [ -f "$TOOLS/package.json" ] || echo '{"private": true}' > "$TOOLS/package.json"
    npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error --save-exact "$ASYNCAPI_CLI" "$REDOCLY_CLI"
fi
[ "${1:-}" = "--install" ] && exit 0
DOCUMENTS="${1:-contracts}"

# No usage reports from either tool (this machine may have no way out anyway), nor files written to the home folder.
export REDOCLY_TELEMETRY=off
export ASYNCAPI_METRICS_CONFIG_PATH="$PWD/$TOOLS/asyncapi-analytics.json"
echo '{"analyticsEnabled": "false", "infoMessageShown": "true", "userID": "flow-bridge-contracts"}' > "$ASYNCAPI_METRICS_CONFIG_PATH"
# The AsyncAPI CLI reads node-config, which would look at this project's config/ folder and warn.
export NODE_CONFIG_DIR="$PWD/$TOOLS/node-config" SUPPRESS_NO_CONFIG_WARNING=1
mkdir -p "$NODE_CONFIG_DIR"

status=0
echo "== asyncapi validate $DOCUMENTS/asyncapi.yaml"
"$TOOLS/node_modules/.bin/asyncapi" validate "$DOCUMENTS/asyncapi.yaml" || status=1
echo "== redocly lint $DOCUMENTS/openapi.yaml"
"$TOOLS/node_modules/.bin/redocly" lint --config "$DOCUMENTS/redocly.yaml" "$DOCUMENTS/openapi.yaml" || status=1
if [ "$status" -eq 0 ]; then
    echo "contracts: both documents valid"
else
    echo "contracts: INVALID (see above)"
fi
exit "$status"
