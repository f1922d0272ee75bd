#!/usr/bin/env bash
# Spark GPU discovery script (spark.executor.resource.gpu.discoveryScript / spark.worker.resource.gpu.discoveryScript).
# Prints the GPUs this host has, in the JSON Spark expects: {"name":"gpu","addresses":["0","1",...]}.
# lakelens tasks read the address Spark assigns them (TaskContext resources) and run on cuda:<address>.
# CUDA_VISIBLE_DEVICES, when set, limits the list (containers and shared hosts).
set -euo pipefail
if [[ -n "${CUDA_VISIBLE_DEVICES:-}" ]]; then
  IFS=',' read -ra ids <<< "$CUDA_VISIBLE_DEVICES"
  seq_ids=()
  for i in "${!ids[@]}"; do seq_ids+=("\"$i\""); done   # CUDA renumbers visible devices from 0
  addresses=$(IFS=','; echo "${seq_ids[*]}")
elif command -v nvidia-smi >/dev/null 2>&1; then
  addresses=$(nvidia-smi --query-gpu=index --format=csv,noheader | sed -e 's/^ *//' -e 's/.*/"&"/' | paste -sd, -)
else
  addresses=""
fi
echo "{\"name\": \"gpu\", \"addresses\": [${addresses}]}"
