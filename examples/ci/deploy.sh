#!/bin/sh
# Gate a deploy on releasebot from any CI system (GitLab, Jenkins, Buildkite, a cron job):
#   RELEASEBOT_URL=https://releasebot.example.com RELEASEBOT_TOKEN=rb_… ./deploy.sh webapp v1.4.2
# `releasebot deploy --wait` queues the deploy, follows it and exits with
#   0 promoted · 2 rolled back · 3 paused (a person must look) · 1 error
# Run it in the checkout of the version: without --change, releasebot lists the changes from
# `git log <previous>..<version>` (the previous version being the service's last promoted one).
set -u
service=${1:?usage: deploy.sh <service> <version>}
version=${2:?usage: deploy.sh <service> <version>}
: "${RELEASEBOT_URL:?set RELEASEBOT_URL to the releasebot server}"
: "${RELEASEBOT_TOKEN:?set RELEASEBOT_TOKEN to a token with the deploy scope}"

# The same key for a retried job: a re-run follows the deploy it queued instead of queueing another.
key="${CI_JOB_ID:-${BUILD_TAG:-manual}}-$service-$version"

releasebot deploy "$service" "$version" --key "$key" --wait
code=$?
case $code in
  0) echo "releasebot: $service $version promoted" ;;
  2) echo "releasebot: $service $version was rolled back" >&2 ;;
  3) echo "releasebot: $service $version is paused; resume or roll it back in releasebot" >&2 ;;
  *) echo "releasebot: could not deploy $service $version (exit $code)" >&2 ;;
esac
exit $code
