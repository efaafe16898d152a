using FuncRegistry.Core.Applications;
using Xunit;

namespace FuncRegistry.Core.Tests;

public class CommitmentsTests
{
    [Fact]
    public void Every_kind_has_a_commitment_in_force_that_promises_truthful_materials()
    {
        foreach (var kind in Enum.GetValues<ApplicationKind>())
        {
            var current = Commitments.Current(kind);
            Assert.Equal(kind, current.Kind);
            Assert.Contains("真实", current.Text);
            Assert.Same(current, Commitments.Find(kind, current.Version));
        }
    }

    [Fact]
    public void A_version_is_found_only_for_its_own_kind()
    {
        var reissue = Commitments.Current(ApplicationKind.Reissue);
        Assert.Null(Commitments.Find(ApplicationKind.Transfer, "1999.9"));
        Assert.Null(Commitments.Find(ApplicationKind.Reissue, null));
        Assert.Contains("遗失", reissue.Text);
        Assert.DoesNotContain("遗失", Commitments.Current(ApplicationKind.Transfer).Text);
    }
}
