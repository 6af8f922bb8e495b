"""Huishoudens: search, the household cost overview with its procescoördinatie case, the
Trajecten portfolio, the cost map and the one-page PDF."""
