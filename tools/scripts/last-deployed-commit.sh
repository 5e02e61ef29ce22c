#!/bin/sh
# Prints the commit the last SUCCESSFUL run of this pipeline deployed, or nothing when there is
# none: the base of the deploy plan and of the tests, so a failed run's changes are redone by the
# next one. Run inside CodeBuild: `codepipeline` reads the pipeline that started this build
# (CODEBUILD_INITIATOR=codepipeline/<name>), `codebuild` this build's own project.
set -eu
case "${1:?usage: last-deployed-commit.sh codepipeline|codebuild}" in
  codepipeline)
    sha="$(aws codepipeline list-pipeline-executions --pipeline-name "${CODEBUILD_INITIATOR#codepipeline/}" \
      --query "pipelineExecutionSummaries[?status=='Succeeded'] | [0].sourceRevisions[0].revisionId" --output text)" ;;
  codebuild)
    project="${CODEBUILD_BUILD_ID%%:*}"
    ids="$(aws codebuild list-builds-for-project --project-name "$project" --sort-order DESCENDING --query 'ids[0:50]' --output text)"
    # shellcheck disable=SC2086 # the ids are words
    sha="$(aws codebuild batch-get-builds --ids $ids --query "builds[?buildStatus=='SUCCEEDED'] | [0].resolvedSourceVersion" --output text)" ;;
  *) echo "unknown source $1" >&2; exit 2 ;;
esac
case "$sha" in None | null) sha="" ;; esac
echo "$sha"
