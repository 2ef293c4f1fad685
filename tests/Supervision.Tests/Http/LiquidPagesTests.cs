using Supervision.Domain.Common;
using Supervision.Http;
using Supervision.Vendors;

namespace Supervision.Tests.Http;

public sealed class LiquidPagesTests
{
    [Fact]
    public async Task Render_EncodesMarkupInValues_ButLeavesJapaneseReadable()
    {
        string html = await new LiquidPages().RenderAsync("vendor-link-error", new
        {
            t = VendorPageText.For(Language.Ja),
            message = "<script>alert(1)</script> 期限切れ",
        });

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; 期限切れ", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.Contains("このリンクはご利用いただけません", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_Throws_WhenTheTemplateDoesNotExist()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => new LiquidPages().RenderAsync("no-such-page", new { }));
    }
}
