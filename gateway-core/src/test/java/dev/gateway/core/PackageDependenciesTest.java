package dev.gateway.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package map of docs/architecture.md, enforced: every package of the main code is listed
 * below, lowest first, and may use only the packages above it in the list. An import that runs back
 * up (or a new package nobody placed) fails this test.
 */
class PackageDependenciesTest {

    /** Lowest first: a package may depend on the ones before it, never on one after it. */
    static final List<String> LAYERS = List.of(
            "dev.gateway.config",
            "dev.gateway.config.toml",
            "dev.gateway.config.pem",
            "dev.gateway.config.load",
            "dev.gateway.balancer.targets",
            "dev.gateway.balancer.strategy",
            "dev.gateway.balancer",
            "dev.gateway.balancer.health",
            "dev.gateway.proxy.timer",
            "dev.gateway.proxy.upstream",
            "dev.gateway.proxy.websocket",
            "dev.gateway.proxy",
            "dev.gateway.proxy.health",
            "dev.gateway.staticfiles",
            "dev.gateway.core.ratelimit",
            "dev.gateway.core.compression",
            "dev.gateway.core.auth",
            "dev.gateway.core.middleware",
            "dev.gateway.core.routing",
            "dev.gateway.core.tracing",
            "dev.gateway.core.protocol",
            "dev.gateway.core.tls",
            "dev.gateway.core.http",
            "dev.gateway.core.listener",
            "dev.gateway.core.logging",
            "dev.gateway.core.tracing.otlp",
            "dev.gateway.core.reload",
            "dev.gateway.core.acme",
            "dev.gateway.core.metrics",
            "dev.gateway.core.traffic",
            "dev.gateway.core.admin",
            "dev.gateway.core");

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.gateway");
    }

    @Test
    void everyPackageHasAPlaceInTheLayers() {
        Set<String> packages = new TreeSet<>();
        for (JavaClass c : classes) {
            if (!c.getPackageName().startsWith("dev.gateway.testkit")) {
                packages.add(c.getPackageName());
            }
        }
        assertThat(LAYERS).as("packages of the main code, each placed in LAYERS").containsAll(packages);
        assertThat(packages).as("LAYERS names only packages that exist").containsAll(LAYERS);
    }

    @Test
    void packagesDependOnlyOnLowerLayers() {
        for (int i = 0; i < LAYERS.size() - 1; i++) {
            String[] higher = LAYERS.subList(i + 1, LAYERS.size()).toArray(new String[0]);
            noClasses().that().resideInAPackage(LAYERS.get(i))
                    .should().dependOnClassesThat().resideInAnyPackage(higher)
                    .because(LAYERS.get(i) + " sits below " + String.join(", ", higher))
                    .check(classes);
        }
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("dev.gateway.(**)").should().beFreeOfCycles().check(classes);
    }
}
