using Microsoft.Playwright;
using Supervision.Security;

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

    /// <summary>A browser context of a member of staff: the local host's development sign-in headers and the browser's language.</summary>
    public static Task<IBrowserContext> SignInAsync(this IBrowser browser, string user, string role, string language) => browser.NewContextAsync(new()
    {
        Locale = language,
        ExtraHTTPHeaders = new Dictionary<string, string>
        {
            [DevelopmentSignIn.UserHeader] = user,
            [DevelopmentSignIn.RolesHeader] = role,
            ["Accept-Language"] = language,
        },
    });
}
