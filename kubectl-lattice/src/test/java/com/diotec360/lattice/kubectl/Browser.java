package com.diotec360.lattice.kubectl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The system's Chromium (Debian packages {@code chromium} and {@code chromium-driver}), headless,
 * driven by Selenium. No browser is downloaded: where the binaries are missing the page tests skip,
 * unless {@value #REQUIRE}=1 (CI, which installs them) makes that a failure.
 */
final class Browser implements AutoCloseable {

  static final String REQUIRE = "LATTICE_REQUIRE_CHROMIUM";
  static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("LATTICE_CHROMIUM", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("LATTICE_CHROMEDRIVER", "/usr/bin/chromedriver"));
  static final String SKIP = "Chromium not found at " + CHROMIUM + " / " + CHROMEDRIVER
      + ": install the Debian packages chromium and chromium-driver (" + REQUIRE + "=1 makes this a failure)";

  final ChromeDriver driver;

  private Browser(ChromeDriver driver) {
    this.driver = driver;
  }

  /** Empty when Chromium is not installed (an error when {@value #REQUIRE}=1). */
  static boolean available() {
    boolean there = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!there && "1".equals(System.getenv(REQUIRE))) {
      throw new AssertionError(SKIP.replace("(", "but " + REQUIRE + "=1 ("));
    }
    return there;
  }

  static Browser start() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-dev-shm-usage", "--window-size=1400,1100");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    return new Browser(driver);
  }

  /** Saves a PNG of the page as a test artefact under target/page-screenshots. */
  Path screenshot(String name) {
    Path dir = Path.of(System.getProperty("lattice.artifacts", "target/page-screenshots"));
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve(name + ".png");
      Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Optional<String> text(String css) {
    var found = driver.findElements(org.openqa.selenium.By.cssSelector(css));
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0).getText());
  }

  @Override
  public void close() {
    driver.quit();
  }
}
