package com.flowbridge.webhook;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * The Vert.x instance flow-bridge's HTTP servers (the webhook's, the management one) run on. Bound in the registry,
 * Camel's platform-http server takes it instead of making its own, but Camel 4.17 still creates each server with
 * default options and offers no way to change them, nor to set a connection handler, which Vert.x accepts only before
 * the server listens. So this instance is the real one in every respect but one: the HTTP servers it creates get
 * Vert.x's own {@code maxHeaderSize} ({@code webhook.max-header-bytes}; larger request headers are answered 431) and
 * the {@link ConnectionGuard} as their connection handler.
 */
public final class HttpServerLimits {

    private HttpServerLimits() {
    }

    public static Vertx vertx(Vertx vertx, int maxHeaderBytes, ConnectionGuard guard) {
        return (Vertx) Proxy.newProxyInstance(HttpServerLimits.class.getClassLoader(), vertx.getClass().getInterfaces(),
            (proxy, method, arguments) -> {
                if (method.getName().equals("createHttpServer") && HttpServer.class.equals(method.getReturnType())) {
                    HttpServerOptions given = arguments != null && arguments.length == 1 && arguments[0] instanceof HttpServerOptions options
                        ? options : new HttpServerOptions();
                    return vertx.createHttpServer(new HttpServerOptions(given).setMaxHeaderSize(maxHeaderBytes).setHttp2ClearTextEnabled(false))
                        .connectionHandler(guard::opened);
                }
                try {
                    return method.invoke(vertx, arguments);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
    }
}
