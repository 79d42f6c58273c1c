package com.flowbridge.testing;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base for tests that run the packaged jar as its own process, from a working directory of their own the way a
 * newcomer runs it; the process a test left in {@link #bridge} is stopped after it (SIGTERM, then kill -9).
 */
public abstract class PackagedJarTest {

    @TempDir
    protected Path workDir;
    protected BridgeProcess bridge;

    @AfterEach
    void stopBridge() throws InterruptedException {
        if (bridge != null) {
            bridge.close();
        }
    }
}
