package io.mailcast.inbound;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A bare SMTP client, so tests see every reply code the listener gives (a mail library would hide the refusals). */
final class SmtpClient implements AutoCloseable {

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    SmtpClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        out = socket.getOutputStream();
        reply();
        command("EHLO mx.example.net");
    }

    /** Sends one line and returns the reply's code and last line. */
    String command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return reply();
    }

    /** A whole transaction; returns the reply to the end of data (or the first refusal). */
    String send(String mailFrom, String rcptTo, String message) throws IOException {
        String reply = command("MAIL FROM:<" + mailFrom + ">");
        if (!reply.startsWith("250")) {
            return reply;
        }
        reply = command("RCPT TO:<" + rcptTo + ">");
        if (!reply.startsWith("250")) {
            return reply;
        }
        reply = command("DATA");
        if (!reply.startsWith("354")) {
            return reply;
        }
        StringBuilder data = new StringBuilder();
        for (String line : message.split("\r?\n", -1)) {
            data.append(line.startsWith(".") ? "." : "").append(line).append("\r\n");
        }
        out.write(data.toString().getBytes(StandardCharsets.UTF_8));
        return command(".");
    }

    private String reply() throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed");
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
        return line;
    }

    @Override
    public void close() throws IOException {
        try {
            command("QUIT");
        } catch (IOException e) {
            // already gone
        }
        socket.close();
    }
}
