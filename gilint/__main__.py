from gilint.cli import run

run()
