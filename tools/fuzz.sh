#!/usr/bin/env bash
# Long libFuzzer runs (ASan + UBSan) of mlc's readers; the suite runs each for 60 s (tests/fuzz/fuzz.test).
# Usage: tools/fuzz.sh [TARGET|all] [SECONDS] (default: all targets, 600 s each). Targets: onnx_import_fuzzer,
# model_meta_fuzzer, trainer_flags_fuzzer, idx_fuzzer, checkpoint_fuzzer, run_log_fuzzer, npy_fuzzer,
# csv_fuzzer. Corpora persist in build/fuzz/<target> (seeded on first use); crashes are written to
# build/fuzz/<target>/crash-* and end the run with a non-zero status. Every crash found becomes a case
# of tests/bad_inputs/make_cases.py.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET="${1:-all}"
SECONDS_PER_TARGET="${2:-600}"
BUILD_DIR="${BUILD_DIR:-build}"
ALL="onnx_import_fuzzer model_meta_fuzzer trainer_flags_fuzzer idx_fuzzer checkpoint_fuzzer run_log_fuzzer npy_fuzzer csv_fuzzer"
if [ "$TARGET" = all ]; then TARGETS="$ALL"; else TARGETS="$TARGET"; fi
for t in $TARGETS; do
  case " $ALL " in *" $t "*) ;; *) echo "tools/fuzz.sh: unknown target '$t' (targets: $ALL)" >&2; exit 1 ;; esac
done
tools/build.sh
ROOT="$PWD"
seed() {  # seeds a fresh corpus directory $2 for target $1
  local dir="$2"
  case "$1" in
    onnx_import_fuzzer)
      /usr/bin/python3 tests/Frontend/Inputs/make_onnx.py --dir "$dir" gemm_transB matmul_add_broadcast gemm_alpha_beta
      /usr/bin/python3 tests/bad_inputs/make_cases.py --dir "$dir/.cases" > /dev/null
      cp "$dir"/.cases/*.onnx "$dir"/ && rm -rf "$dir/.cases" ;;
    model_meta_fuzzer)
      /usr/bin/python3 -c "import sys; d = open(sys.argv[1], 'rb').read(); i = d.find(b'mlc-model 1'); open(sys.argv[2], 'wb').write(d[i:d.find(b'\0', i)])" \
        "$BUILD_DIR/tests/unit/runtime/fake_trainer_adam" "$dir/meta.txt" ;;
    trainer_flags_fuzzer)
      printf -- '--data=d\0--epochs=3\0--lr=0.1\0--lr-schedule=cosine\0--val-split=0.2' > "$dir/a" ;;
    idx_fuzzer|checkpoint_fuzzer|run_log_fuzzer)
      mkdir -p "$dir/.data"
      /usr/bin/python3 -c "import sys; sys.path.insert(0, 'tests/e2e'); from lr_schedule_parity import write_toy_data; write_toy_data(sys.argv[1])" "$dir/.data"
      if [ "$1" = idx_fuzzer ]; then cp "$dir"/.data/* "$dir"/; else
        "$BUILD_DIR/tests/unit/runtime/fake_trainer_adam" --data="$dir/.data" --epochs=2 --checkpoint="$dir/.ck" --log="$dir/run.jsonl" > /dev/null
        [ "$1" = checkpoint_fuzzer ] && cp "$dir"/.ck/*.mlcckpt "$dir"/ && rm -f "$dir/run.jsonl"
        rm -rf "$dir/.ck"; fi
      rm -rf "$dir/.data" ;;
    npy_fuzzer)
      /usr/bin/python3 -c "import numpy as np, sys; np.save(sys.argv[1] + '/a.npy', np.arange(6, dtype=np.float32).reshape(2, 3))" "$dir" ;;
    csv_fuzzer)
      /usr/bin/python3 tests/fuzz/csv_seeds.py "$dir" ;;
  esac
}
status=0
for t in $TARGETS; do
  corpus="$BUILD_DIR/fuzz/$t"
  if [ ! -d "$corpus" ] || [ -z "$(ls -A "$corpus")" ]; then mkdir -p "$corpus"; seed "$t" "$corpus"; fi
  echo "== $t for ${SECONDS_PER_TARGET}s (corpus $corpus)"
  (cd "$corpus" && "$ROOT/$BUILD_DIR/bin/$t" -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=2048 -max_len=65536 \
     -print_final_stats=1 . 2>&1 | grep -E "^Done|stat::number_of_executed_units|ERROR|SUMMARY|Test unit") || status=1
done
exit $status
