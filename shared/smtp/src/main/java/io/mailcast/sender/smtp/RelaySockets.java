package io.mailcast.sender.smtp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * The socket factories one relay's Jakarta Mail session uses. They do two things:
 * <ul>
 *   <li>Turn Nagle's algorithm off. SMTP is a ping-pong of small writes; with Nagle on, the final "." of each
 *       message waits for the relay's delayed ACK (tens of milliseconds), which capped a connection at a few dozen
 *       messages per second.</li>
 *   <li>Remember, per thread, the last socket they made, so that {@link PipelinedSmtpTransport} can write message
 *       data straight to the socket its {@code connect} ended up with (after STARTTLS, the TLS one). Angus opens and
 *       upgrades sockets inside {@code connect}, on the caller's thread, and offers no other way to reach them.</li>
 * </ul>
 */
final class RelaySockets {

    private final ThreadLocal<Socket> lastMade = new ThreadLocal<>();
    private final SocketFactory plain = new Plain();
    private final SSLSocketFactory tls = new Tls((SSLSocketFactory) SSLSocketFactory.getDefault());

    SocketFactory plain() {
        return plain;
    }

    SSLSocketFactory tls() {
        return tls;
    }

    /** The last socket made on this thread since the previous call, or null; forgets it. */
    Socket takeLastMade() {
        Socket socket = lastMade.get();
        lastMade.remove();
        return socket;
    }

    private Socket noDelay(Socket socket) throws SocketException {
        socket.setTcpNoDelay(true);
        lastMade.set(socket);
        return socket;
    }

    private final class Plain extends SocketFactory {
        @Override
        public Socket createSocket() throws IOException {
            return noDelay(new Socket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return noDelay(new Socket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return noDelay(new Socket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return noDelay(new Socket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return noDelay(new Socket(address, port, localAddress, localPort));
        }
    }

    private final class Tls extends SSLSocketFactory {
        private final SSLSocketFactory delegate;

        Tls(SSLSocketFactory delegate) {
            this.delegate = delegate;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            return noDelay(delegate.createSocket());
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return noDelay(delegate.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return noDelay(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return noDelay(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return noDelay(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return noDelay(delegate.createSocket(address, port, localAddress, localPort));
        }
    }
}
