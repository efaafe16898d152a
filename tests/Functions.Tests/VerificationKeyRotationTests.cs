using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FuncRegistry.Core.Certificates;
using FuncRegistry.Functions.Certificates;
using Microsoft.Extensions.DependencyInjection;

namespace FuncRegistry.Functions.Tests;

/// <summary>
/// Rotating the key of the check codes (docs/certificates.md, "Rotating the verification key"): new
/// codes are made under the new key, a code printed under the old one verifies while that key is one of
/// Certificates:PreviousVerificationKeys, and once it is dropped the code is answered like any other
/// miss. Each test runs the app as configured before and then after a rotation, one instance after the
/// other on one storage prefix, as a restart with the new settings does.
/// </summary>
public sealed class VerificationKeyRotationTests
{
    private const string KeyA = "gansu-certificate-check-code-key-2024-Qm7tX2vR9pL4wE";
    private const string KeyB = "gansu-certificate-check-code-key-2026-Hc3nW8yK5sD1jF";
    private const string Number = "甘建安C（2024）0012345";
    private const string Holder = "王建国";

    private static string CodeUnder(string key, string number) => CheckCodes.Compute(Encoding.UTF8.GetBytes(key), number);

    /// <summary>The app in Development with a current key and the keys it replaced.</summary>
    private static RegistryFactory App(string prefix, string key, params string[] previous)
    {
        var settings = new Dictionary<string, string?> { ["Certificates:VerificationKey"] = key };
        for (var i = 0; i < previous.Length; i++) settings[$"Certificates:PreviousVerificationKeys:{i}"] = previous[i];
        return new RegistryFactory(prefix, settings: settings);
    }

    private sealed record Printed(string Prefix, string HolderId, string Url, string? Version);

    /// <summary>王建国's certificate imported and downloaded under key A: the verification URL on his paper, as its QR code holds it.</summary>
    private static async Task<Printed> PrintedUnderKeyAAsync()
    {
        var prefix = RegistryFactory.NewPrefix();
        using var app = App(prefix, KeyA);
        var holder = TestData.IdNumber();
        await app.ImportAsync(TestData.Line(Number, holder, TestData.CreditCode(), name: Holder));
        var (pdf, version) = await PdfAsync(await app.ApplicantAsync(holder, Holder));
        var url = Assert.Single(PdfReading.Of(pdf).QrCodes);
        Assert.EndsWith("?code=" + CodeUnder(KeyA, Number), url);
        await (await app.CreateClient().GetAsync(PathOf(url))).AssertOkAsync();
        return new Printed(prefix, holder, url, version);
    }

    private static async Task<(byte[] Pdf, string? ETag)> PdfAsync(HttpClient client)
    {
        var response = await client.GetAsync(TestData.CertificatePath(Number) + "/pdf");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadAsByteArrayAsync(), response.Headers.ETag?.Tag);
    }

    private static string PathOf(string url) => new Uri(url).PathAndQuery;

    private static string VerifyPath(string number, string code) => $"/api/verify/{Uri.EscapeDataString(number)}?code={Uri.EscapeDataString(code)}";

    [Fact]
    public async Task A_code_printed_under_the_old_key_still_verifies_after_rotation_while_the_old_key_is_a_previous_one()
    {
        var printed = await PrintedUnderKeyAAsync();
        using var rotated = App(printed.Prefix, KeyB, KeyA);
        var anonymous = rotated.CreateClient();

        var json = await (await anonymous.GetAsync(PathOf(printed.Url))).AssertOkAsync();
        Assert.Equal(Number, json.GetProperty("number").GetString());
        Assert.Equal("王**", json.GetProperty("holderName").GetString());
        Assert.Equal("valid", json.GetProperty("status").GetString());
        // Typed off the paper as well, and the page a phone gets from the QR code.
        await (await anonymous.GetAsync(VerifyPath(Number, CheckCodes.Display(CodeUnder(KeyA, Number)).ToLowerInvariant()))).AssertOkAsync();
        var page = new HttpRequestMessage(HttpMethod.Get, PathOf(printed.Url));
        page.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        Assert.Contains("证书有效", await (await anonymous.SendAsync(page)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task After_rotation_the_certificate_is_drawn_again_with_a_code_under_the_new_key()
    {
        var printed = await PrintedUnderKeyAAsync();
        using var rotated = App(printed.Prefix, KeyB, KeyA);
        var links = rotated.Services.GetRequiredService<CertificateLinks>();
        var (codeA, codeB) = (CodeUnder(KeyA, Number), CodeUnder(KeyB, Number));
        Assert.Equal(codeB, links.CheckCode(Number));

        var (pdf, version) = await PdfAsync(await rotated.ApplicantAsync(printed.HolderId, Holder));
        var read = PdfReading.Of(pdf);
        Assert.Contains(CheckCodes.Display(codeB), read.Text);
        Assert.DoesNotContain(CheckCodes.Display(codeA), read.Text);
        var url = Assert.Single(read.QrCodes);
        Assert.Equal(links.VerifyUrl(Number), url);
        Assert.EndsWith("?code=" + codeB, url);
        // The code is part of what the version fingerprints: a new version, and the old one deleted.
        Assert.NotEqual(printed.Version, version);
        Assert.EndsWith($"/{version!.Trim('"')}.pdf", Assert.Single(await rotated.Services.GetRequiredService<CertificatePdfs>().StoredVersionsAsync(Number)));
        await (await rotated.CreateClient().GetAsync(PathOf(url))).AssertOkAsync();
    }

    [Fact]
    public async Task Once_the_old_key_is_dropped_its_codes_get_the_same_404_as_an_unknown_number()
    {
        var printed = await PrintedUnderKeyAAsync();
        using var dropped = App(printed.Prefix, KeyB);
        var anonymous = dropped.CreateClient();
        var unknown = "甘建安C（2024）0099999";

        async Task<(HttpStatusCode, string?, byte[])> AnswerAsync(string path, bool html)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (html) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
            var response = await anonymous.SendAsync(request);
            return (response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsByteArrayAsync());
        }
        foreach (var html in new[] { false, true })
        {
            var old = await AnswerAsync(PathOf(printed.Url), html);
            var miss = await AnswerAsync(VerifyPath(unknown, CodeUnder(KeyB, unknown)), html);
            Assert.Equal(HttpStatusCode.NotFound, old.Item1);
            Assert.Equal(miss.Item1, old.Item1);
            Assert.Equal(miss.Item2, old.Item2);
            Assert.Equal(miss.Item3, old.Item3);
        }
        await (await anonymous.GetAsync(PathOf(printed.Url))).AssertProblemAsync(404, "certificate_not_verified");
        await (await anonymous.GetAsync(VerifyPath(Number, CodeUnder(KeyB, Number)))).AssertOkAsync();
    }

    [Theory]
    [InlineData("gansu-cert-key-2019", "Certificates__PreviousVerificationKeys__1: must have at least 32 characters")]
    [InlineData("@Microsoft.KeyVault(SecretUri=https://kv-gs.vault.azure.net/secrets/certificate-verification-key/9b2f4c1e7d3a4e8f)",
        "Certificates__PreviousVerificationKeys__1: is an unresolved Key Vault reference")]
    public void Outside_development_a_previous_key_too_short_or_unresolved_stops_the_app_at_start(string previous, string message)
    {
        using var app = AuthenticationTests.Production(new AuthenticationTests.OidcProvider(), new()
        {
            ["Certificates:PreviousVerificationKeys:0"] = KeyA,
            ["Certificates:PreviousVerificationKeys:1"] = previous,
        });
        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient()).ToString();
        Assert.Contains(message, error);
        Assert.DoesNotContain("PreviousVerificationKeys__0", error);
    }

    [Fact]
    public async Task A_production_configuration_with_previous_keys_starts()
    {
        using var app = AuthenticationTests.Production(new AuthenticationTests.OidcProvider(), new()
        {
            ["Certificates:PreviousVerificationKeys:0"] = KeyA,
            ["Certificates:PreviousVerificationKeys:1"] = KeyB,
        });
        await (await app.CreateClient().GetAsync("/api/health")).AssertOkAsync();
    }
}
