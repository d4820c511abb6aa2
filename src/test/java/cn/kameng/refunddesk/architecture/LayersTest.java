package cn.kameng.refunddesk.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;

/**
 * The shape of the code (docs/adr/0050-layers.md): a kernel that imports no feature, features over it, the
 * workflow that combines them, one engine adapter that alone touches Camunda, payment gateways and the
 * sandbox as adapters that nothing imports, and a web layer that knows no feature. Read from the compiled
 * main classes, tests left out.
 */
@AnalyzeClasses(packages = "cn.kameng.refunddesk", importOptions = ImportOption.DoNotIncludeTests.class)
class LayersTest {

    private static final String ROOT = "cn.kameng.refunddesk";

    @ArchTest
    static final ArchRule noCycleBetweenPackages = slices().matching(ROOT + ".(*)..").namingSlices("$1")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .ensureAllClassesAreContainedInArchitectureIgnoring(ROOT)
            .layer("Kernel").definedBy(ROOT + ".dispute..", ROOT + ".order..", ROOT + ".process..")
            .layer("Identity").definedBy(ROOT + ".security..")
            .layer("Features").definedBy(ROOT + ".calendar..", ROOT + ".notification..", ROOT + ".evidence..",
                    ROOT + ".refund..", ROOT + ".complaint..", ROOT + ".restriction..", ROOT + ".ledger..",
                    ROOT + ".webhook..", ROOT + ".scorecard..", ROOT + ".appeal..", ROOT + ".abuse..")
            .layer("Workflow").definedBy(ROOT + ".workflow..")
            .layer("Engine").definedBy(ROOT + ".engine..")
            .layer("Adapters").definedBy(ROOT + ".alipay..", ROOT + ".wechatpay..", ROOT + ".unionpay..",
                    ROOT + ".sandbox..", ROOT + ".platform..")
            .layer("Web").definedBy(ROOT + ".web..")
            .whereLayer("Kernel").mayNotAccessAnyLayer()
            .whereLayer("Identity").mayOnlyAccessLayers("Kernel")
            .whereLayer("Features").mayOnlyAccessLayers("Kernel", "Identity")
            .whereLayer("Workflow").mayOnlyAccessLayers("Kernel", "Identity", "Features")
            .whereLayer("Engine").mayOnlyAccessLayers("Kernel", "Identity", "Features", "Workflow")
            .whereLayer("Engine").mayNotBeAccessedByAnyLayer()
            .whereLayer("Adapters").mayOnlyAccessLayers("Kernel", "Identity", "Features")
            .whereLayer("Adapters").mayNotBeAccessedByAnyLayer()
            .whereLayer("Web").mayOnlyAccessLayers("Kernel")
            .whereLayer("Web").mayNotBeAccessedByAnyLayer();

    @ArchTest
    static final ArchRule onlyTheEngineAdapterAndIdentityTouchCamunda = noClasses()
            .that().resideOutsideOfPackages(ROOT + ".engine..", ROOT + ".security..")
            .should().dependOnClassesThat().resideInAPackage("org.camunda..")
            .because("the engine sits behind one door: process.DisputeProcess and process.DecisionTables,"
                    + " implemented in engine/");

    @ArchTest
    static final ArchRule theKernelKnowsNoWebOrDatabaseDriver = noClasses()
            .that().resideInAnyPackage(ROOT + ".dispute..", ROOT + ".order..", ROOT + ".process..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework.http..",
                    "org.springframework.web..", "jakarta.servlet..")
            .because("services throw the domain's exceptions; web/ alone speaks HTTP");

    @ArchTest
    static final ArchRule onlyWebSpeaksProblemJson = noClasses()
            .that().resideOutsideOfPackage(ROOT + ".web..")
            .should().dependOnClassesThat().haveFullyQualifiedName("org.springframework.http.ProblemDetail")
            .because("web/ alone turns the domain's exceptions into problem+json");

    @ArchTest
    static final ArchRule eachAdapterIsImportedByNothingButItself = CompositeArchRule.of(adapterRule("alipay"))
            .and(adapterRule("wechatpay")).and(adapterRule("unionpay")).and(adapterRule("sandbox"))
            .and(adapterRule("platform"));

    private static ArchRule adapterRule(String adapter) {
        return noClasses().that().resideOutsideOfPackage(ROOT + "." + adapter + "..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + "." + adapter + "..")
                .because(adapter + "/ is an adapter behind a port: Spring finds it, nothing names it");
    }
}
