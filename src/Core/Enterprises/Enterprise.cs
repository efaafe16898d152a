namespace FuncRegistry.Core.Enterprises;

/// <summary>
/// An employer (企业) as the register knows it: its USCC, its name and the prefecture-level city
/// it belongs to (whose reviewers see its roster). Written by the register import from the first
/// certificate that names it, by an approved employer change for an employer not yet known, and
/// corrected by an admin; never by a certificate write that finds it known.
/// </summary>
/// <param name="Uscc">The Unified Social Credit Code, normalised (upper case, 18 characters).</param>
/// <param name="Name">The enterprise's name (工作单位), e.g. 兰州远安建筑安装有限公司.</param>
/// <param name="CityCode">The six-digit code of its city (市州), e.g. 620100.</param>
public sealed record Enterprise(string Uscc, string Name, string CityCode);
