package io.mailcast.coordinator;

import io.mailcast.cli.Cli;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoSuppressionList;
import io.mailcast.suppression.Suppression;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code coordinator suppression export [FILE]}: the whole list as CSV, which {@code import} reads back. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Writes every entry as CSV (address,reason,at,campaign,evidence) to FILE, or to standard output.")
final class SuppressionExportCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Parameters(paramLabel = "FILE", arity = "0..1", description = "Where to write; standard output when absent")
    Path file;

    @Override
    public Integer call() throws IOException {
        try (MongoConnection mongo = connection.mongo()) {
            var list = new MongoSuppressionList(mongo);
            if (file == null) {
                Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
                write(list, out);
                out.flush();
                return Cli.OK;
            }
            long count;
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                count = write(list, out);
            }
            System.out.println("exported " + count + " entries to " + file);
            return Cli.OK;
        }
    }

    private static long write(MongoSuppressionList list, Writer out) throws IOException {
        out.write("address,reason,at,campaign,evidence\n");
        long[] count = {0};
        list.forEach(s -> {
            try {
                out.write(row(s));
                count[0]++;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return count[0];
    }

    private static String row(Suppression s) {
        return csv(s.address()) + "," + SuppressionCommand.ReasonConverter.name(s.reason()) + "," + s.at() + ","
                + csv(s.sourceCampaign()) + "," + csv(s.evidence()) + "\n";
    }

    /** RFC 4180 quoting where a value needs it; line breaks become spaces, so every entry is one line for import. */
    private static String csv(String value) {
        if (value == null) {
            return "";
        }
        String oneLine = value.replace('\r', ' ').replace('\n', ' ');
        if (oneLine.chars().noneMatch(c -> c == ',' || c == '"')) {
            return oneLine;
        }
        return "\"" + oneLine.replace("\"", "\"\"") + "\"";
    }
}
