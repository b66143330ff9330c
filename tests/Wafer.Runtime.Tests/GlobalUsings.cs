global using System.Text.Json;
global using Microsoft.Extensions.DependencyInjection;
global using Xunit;
