package io.mailcast.render;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;

/** Compiling Mustache templates the way every Mailcast template is compiled: checked tags, no partials. */
public final class MustacheTemplates {

    private MustacheTemplates() {
    }

    /** Compiles {@code source}; throws {@link TemplateException} naming {@code what} and the problem. */
    public static Template compile(Mustache.Compiler compiler, String source, String what) {
        String tagProblem = TagCheck.problem(source);
        if (tagProblem != null) {
            throw new TemplateException("the " + what + " has an " + tagProblem, null);
        }
        Template template;
        try {
            template = compiler.compile(source);
        } catch (MustacheException e) {
            throw new TemplateException("the " + what + " is not valid Mustache: " + e.getMessage(), e);
        }
        // Partials compile but fail at render time for every recipient: refuse them now.
        template.visit(new Mustache.Visitor() {
            @Override
            public void visitText(String text) {
            }

            @Override
            public void visitVariable(String name) {
            }

            @Override
            public boolean visitInclude(String name) {
                throw new TemplateException("the " + what + " uses the partial {{>" + name + "}}; partials are not "
                        + "supported, inline the text instead", null);
            }

            @Override
            public boolean visitSection(String name) {
                return true;
            }

            @Override
            public boolean visitInvertedSection(String name) {
                return true;
            }
        });
        return template;
    }
}
