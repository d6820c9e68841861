// Section names and compatibility checks of run checkpoints; the container is state/checkpoint_file.h.
#include "train/run_checkpoint.h"

#include "core/error.h"
#include "state/model_fingerprint.h"

namespace mlc {

void write_run_checkpoint(const std::string& path, const ModelMeta& meta, const HostModelState& state,
                          const HostModelState* best, const KeyValues* run, const std::vector<Flag>& flags,
                          const DataTransform& transform) {
  const std::string model = canonical_model_text(meta);
  CheckpointWriter w(path, fingerprint_of(model));
  w.text("model", model);
  if (run) {
    w.text("run", run->text());
    w.text("flags", flags_text(flags));
  }
  transform.write(w);
  write_state(w, meta, state, "");
  if (best) write_state(w, meta, *best, "best/");
  w.finish();
}

RunCheckpoint open_run_checkpoint(const std::string& path, const ModelMeta& meta, CheckpointUse use) {
  RunCheckpoint rc{read_checkpoint(path), false, KeyValues(), {}, {}};
  const std::string ours = canonical_model_text(meta);
  const bool need_run = use == CheckpointUse::Resume;
  if (need_run && rc.file.fingerprint != fingerprint_of(ours)) {
    const std::string theirs = rc.file.has("model") ? rc.file.text("model") : "";
    throw Error("checkpoint " + path + " is of another model: " + describe_model_difference(theirs, ours));
  }
  rc.has_run = rc.file.has("run");
  if (need_run && !rc.has_run) {
    throw Error("checkpoint " + path + " holds weights only (--save-weights), not a run to resume; use --init-from");
  }
  if (rc.has_run) {
    rc.run = KeyValues(rc.file.text("run"), "checkpoint " + path);
    try {
      rc.flags = parse_flags_text(rc.file.text("flags"));
    } catch (const Error& e) {
      throw Error("checkpoint " + path + ": bad flags section: " + e.what());
    }
  }
  rc.transform = DataTransform::read(rc.file, meta.sample_size(), meta.classes());
  if (!need_run) {
    // Every parameter and buffer of this model, with its size: read_state's errors name the tensor.
    try {
      read_state(rc.file, meta, "", false);
    } catch (const Error& e) {
      const std::string theirs = rc.file.has("model") ? rc.file.text("model") : "";
      throw Error(std::string(e.what()) + " (it is of another model: " + describe_model_difference(theirs, ours) + ")");
    }
  }
  return rc;
}

}  // namespace mlc
