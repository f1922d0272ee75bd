package io.lakelens.cli;

import picocli.CommandLine.IVersionProvider;

/** Version of lakelens and of the engines it runs on. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = LakelensCli.class.getPackage().getImplementationVersion();
        return new String[] {
            "lakelens " + (v == null ? "(development build)" : v),
            "Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION() + ", Delta Lake, DJL/PyTorch, Java "
                    + System.getProperty("java.version")
        };
    }
}
