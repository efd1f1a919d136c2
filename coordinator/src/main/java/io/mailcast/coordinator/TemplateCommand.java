package io.mailcast.coordinator;

import io.mailcast.cli.Cli;
import io.mailcast.message.ApiTemplate;
import io.mailcast.store.MongoApiTemplateStore;
import io.mailcast.store.MongoConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code coordinator template}: the named templates applications send through the API with their own data. */
@Command(name = "template", mixinStandardHelpOptions = true,
        description = "Stores, lists, shows and removes the send API's named templates (\"template\" and \"data\" in "
                + "POST /v1/messages).",
        subcommands = {TemplateCommand.Put.class, TemplateCommand.ListTemplates.class, TemplateCommand.Show.class,
                TemplateCommand.Remove.class})
public final class TemplateCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "put", mixinStandardHelpOptions = true,
            description = "Creates a template or replaces the one of that name; messages already accepted keep what they "
                    + "rendered. The files are checked as Mustache before anything is stored.")
    static final class Put implements Callable<Integer> {

        @Mixin
        ConnectionOptions connection;

        @Parameters(paramLabel = "NAME", description = "Lower-case letters, digits, '.', '_' or '-', e.g. password-reset")
        String name;

        @Option(names = "--subject", required = true, description = "Subject, Mustache, e.g. 'Your code: {{code}}'")
        String subject;

        @Option(names = "--text-template", paramLabel = "FILE", description = "Mustache file for the plain-text body")
        Path textTemplate;

        @Option(names = "--html-template", paramLabel = "FILE", description = "Mustache file for the HTML body (values escaped)")
        Path htmlTemplate;

        @Override
        public Integer call() {
            if (textTemplate == null && htmlTemplate == null) {
                throw new IllegalArgumentException("give --text-template FILE, --html-template FILE, or both");
            }
            var template = new ApiTemplate(name, subject, SubmitCommand.read(textTemplate, "--text-template"),
                    SubmitCommand.read(htmlTemplate, "--html-template"), Instant.now());
            try (MongoConnection mongo = connection.mongo()) {
                new MongoApiTemplateStore(mongo).put(template);
            }
            System.out.println("stored template " + name + (template.text() != null ? " (text" : " (")
                    + (template.html() != null ? (template.text() != null ? " and HTML)" : "HTML)") : ")"));
            return Cli.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the templates by name.")
    static final class ListTemplates implements Callable<Integer> {

        @Mixin
        ConnectionOptions connection;

        @Override
        public Integer call() {
            try (MongoConnection mongo = connection.mongo()) {
                List<ApiTemplate> all = new MongoApiTemplateStore(mongo).list();
                System.out.printf("%-32s %-6s %-24s %s%n", "NAME", "BODIES", "UPDATED", "SUBJECT");
                for (ApiTemplate t : all) {
                    System.out.printf("%-32s %-6s %-24s %s%n", t.name(),
                            (t.text() != null ? "text" : "") + (t.text() != null && t.html() != null ? "+" : "")
                                    + (t.html() != null ? "html" : ""), t.updatedAt(), t.subject());
                }
                return Cli.OK;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Prints a template's subject and bodies.")
    static final class Show implements Callable<Integer> {

        @Mixin
        ConnectionOptions connection;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (MongoConnection mongo = connection.mongo()) {
                ApiTemplate t = new MongoApiTemplateStore(mongo).find(name).orElseThrow(() ->
                        new Cli.NotFoundException("no template named '" + name + "'; see template list"));
                System.out.println("subject: " + t.subject());
                System.out.println("updated: " + t.updatedAt());
                if (t.text() != null) {
                    System.out.println("--- text ---");
                    System.out.println(t.text());
                }
                if (t.html() != null) {
                    System.out.println("--- html ---");
                    System.out.println(t.html());
                }
                return Cli.OK;
            }
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Removes a template; messages naming it are refused from then on (400).")
    static final class Remove implements Callable<Integer> {

        @Mixin
        ConnectionOptions connection;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (MongoConnection mongo = connection.mongo()) {
                if (!new MongoApiTemplateStore(mongo).remove(name)) {
                    throw new Cli.NotFoundException("no template named '" + name + "'; see template list");
                }
            }
            System.out.println("removed template " + name);
            return Cli.OK;
        }
    }
}
