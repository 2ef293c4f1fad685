using Microsoft.Playwright;

namespace Supervision.LocalHost.Tests.Vendors;

/// <summary>Debian's Chromium driven by Playwright (no browser download: the package's own driver, the system browser).</summary>
internal static class Chromium
{
    public const string ExecutablePath = "/usr/lib/chromium/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        // The machine is shared and the suite busy: give the page longer than Playwright's 5 s to show what it answers.
        Assertions.SetDefaultExpectTimeout(15_000);
        IPlaywright playwright = await Playwright.CreateAsync();
        IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
        return (playwright, browser);
    }
}
