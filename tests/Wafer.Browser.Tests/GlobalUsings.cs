global using System.Text.Json;
global using Microsoft.Playwright;
global using Wafer.Browser.Tests.Support;
global using Wafer.Fleet.Tests.Support;
global using Xunit;
