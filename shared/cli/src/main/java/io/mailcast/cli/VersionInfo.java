package io.mailcast.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * {@code --version} of every Mailcast command: the project version and the git revision the jar was built from (both
 * written into {@code version.properties} by the build), and the Java runtime.
 */
public final class VersionInfo implements IVersionProvider {

    private static final String RESOURCE = "version.properties";

    private final Properties properties = load();

    @Override
    public String[] getVersion() {
        return new String[] {
                "Mailcast ${ROOT-COMMAND-NAME} " + value("version") + " (git revision " + value("revision") + ")",
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }

    /** "unknown" for a value the build did not fill in (run from an IDE's class output, say). */
    private String value(String key) {
        String v = properties.getProperty(key, "").strip();
        return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = VersionInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return properties;
    }
}
