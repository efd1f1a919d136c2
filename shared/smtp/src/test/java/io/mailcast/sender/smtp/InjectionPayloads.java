package io.mailcast.sender.smtp;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Ways a subscriber-controlled value may try to smuggle in a Bcc header. */
final class InjectionPayloads {

    static final String EVIL = "Bcc: evil@attacker.test";

    static final List<String> ALL = List.of(
            "\r\n" + EVIL,
            "\n" + EVIL,
            "\r" + EVIL,
            "\r\n\r\n" + EVIL,
            "\r\n\t" + EVIL,
            "\u0085" + EVIL,
            "\u2028" + EVIL,
            "\u2029" + EVIL,
            "\u000b\u000c" + EVIL,
            "=?UTF-8?Q?=0D=0ABcc:_evil@attacker.test?=",
            "=?UTF-8?B?" + base64("\r\n" + EVIL) + "?=",
            "=?UTF-8?B?" + base64("=?UTF-8?Q?=0D=0A?=" + EVIL) + "?=",
            "glued=?UTF-8?Q?=0D=0A?=" + EVIL,
            "=?UTF-8?Q?=E2=80=A8Bcc:_evil@attacker.test?=");

    private InjectionPayloads() {
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
