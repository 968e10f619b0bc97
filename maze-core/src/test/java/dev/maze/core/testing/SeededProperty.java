package dev.maze.core.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.AnnotationBasedArgumentsProvider;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsSource;
import org.junit.jupiter.params.support.ParameterDeclarations;
import org.opentest4j.IncompleteExecutionException;

/**
 * A seeded property test: a JUnit parameterized test that runs once per case seed ({@link Choices#seeds
 * Choices.seeds(seed, tries)}) and takes that seed as its one {@code long} parameter, from which it draws its
 * random inputs ({@link Choices#of}). A failure's message starts with {@code seed <n>:}, and {@code Choices.of(n)}
 * draws that case again.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ParameterizedTest(name = "seed {0}")
@ArgumentsSource(SeededProperty.Seeds.class)
@ExtendWith(SeededProperty.SeedInFailures.class)
public @interface SeededProperty {

    /** How many cases to run. */
    int tries();

    /** Where this property's block of case seeds starts (properties with different seeds see different cases). */
    long seed();

    /** The case seeds of one property. */
    final class Seeds extends AnnotationBasedArgumentsProvider<SeededProperty> {
        @Override
        protected Stream<? extends Arguments> provideArguments(ParameterDeclarations parameters,
                ExtensionContext context, SeededProperty property) {
            return Choices.seeds(property.seed(), property.tries()).mapToObj(Arguments::of);
        }
    }

    /** Prefixes a failing case's message with its seed ("seed 42420017: ..."): the case's display name. */
    final class SeedInFailures implements TestExecutionExceptionHandler {
        @Override
        public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
            boolean skipped = failure instanceof IncompleteExecutionException; // an assumption, not a failure
            if (!skipped && (failure instanceof AssertionError || failure instanceof Exception)) {
                String message = failure instanceof AssertionError ? failure.getMessage() : failure.toString();
                AssertionError named = new AssertionError(context.getDisplayName() + ": " + message, failure);
                named.setStackTrace(failure.getStackTrace());
                throw named;
            }
            throw failure;
        }
    }
}
