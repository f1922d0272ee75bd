package io.lakelens.finetune;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a run stands, saved beside every checkpoint as {@code trainer_state.json}: a resumed run
 * continues with optimizer step {@code step}, in epoch {@code epoch}, after its first {@code
 * batchesIntoEpoch} batches.
 *
 * @param finished whether this is the end of the run (the final model)
 */
public record TrainerState(long step, int epoch, long batchesIntoEpoch, long totalSteps, int epochs,
        String startModel, boolean finished) {

    public static final String FILE = "trainer_state.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public void write(Path dir) throws IOException {
        JSON.writeValue(dir.resolve(FILE).toFile(), this);
    }

    public static TrainerState read(Path dir) throws IOException {
        return JSON.readValue(dir.resolve(FILE).toFile(), TrainerState.class);
    }
}
