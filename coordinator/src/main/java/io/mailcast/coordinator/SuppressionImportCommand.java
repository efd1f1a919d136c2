package io.mailcast.coordinator;

import io.mailcast.cli.Cli;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoSuppressionList;
import io.mailcast.suppression.Suppression;
import io.mailcast.suppression.SuppressionReason;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code coordinator suppression import FILE}: adds a file's addresses, and says which lines it could not use. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Adds the addresses of a file: one per line, or CSV with the address in the first column (as "
                + "export writes). Reports how many were added, already present and invalid, with the invalid lines' "
                + "numbers. Exit code 2 when the file holds no valid address.")
final class SuppressionImportCommand implements Callable<Integer> {

    private static final int BATCH = 1_000;
    private static final int LINES_SHOWN = 10;

    @Mixin
    ConnectionOptions connection;

    @Parameters(paramLabel = "FILE", description = "File of addresses (UTF-8)")
    Path file;

    @Option(names = "--reason", defaultValue = "manual", converter = SuppressionCommand.ReasonConverter.class,
            description = "Reason for every imported entry (default: ${DEFAULT-VALUE})")
    SuppressionReason reason;

    @Option(names = "--note", description = "Evidence stored with every entry (default: imported from FILE)")
    String note;

    @Override
    public Integer call() {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("cannot read " + file + ": no such readable file");
        }
        Instant now = Clock.systemUTC().instant();
        String evidence = note != null ? note : "imported from " + file.getFileName();
        List<Suppression> batch = new ArrayList<>(BATCH);
        List<String> invalid = new ArrayList<>();
        int[] valid = {0};
        int added = 0;
        try (MongoConnection mongo = connection.mongo();
             BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            var list = new MongoSuppressionList(mongo);
            List<Integer> addedPerBatch = new ArrayList<>();
            AddressLines.read(reader, line -> {
                if (line.problem() != null) {
                    invalid.add("line " + line.number() + ": " + line.problem());
                    return;
                }
                valid[0]++;
                batch.add(new Suppression(line.address(), reason, null, now, evidence));
                if (batch.size() == BATCH) {
                    addedPerBatch.add(list.addAll(batch));
                    batch.clear();
                }
            });
            addedPerBatch.add(list.addAll(batch));
            added = addedPerBatch.stream().mapToInt(Integer::intValue).sum();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        System.out.println("imported " + file.getFileName() + ": " + added + " added, " + (valid[0] - added)
                + " already present, " + invalid.size() + " invalid lines" + shown(invalid));
        return valid[0] == 0 ? Cli.USAGE : Cli.OK;
    }

    private static String shown(List<String> invalid) {
        if (invalid.isEmpty()) {
            return "";
        }
        String lines = String.join("; ", invalid.subList(0, Math.min(LINES_SHOWN, invalid.size())));
        return " (" + lines + (invalid.size() > LINES_SHOWN ? "; and " + (invalid.size() - LINES_SHOWN) + " more" : "") + ")";
    }
}
