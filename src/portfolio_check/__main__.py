from portfolio_check.cli import main

main()
